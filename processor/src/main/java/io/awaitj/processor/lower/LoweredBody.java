package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import java.util.List;

/**
 * A body, lowered: everything the emitter needs to write its machine, and nothing it could change.
 *
 * @param machine the machine's class name
 * @param result the type the machine produces (for an async lambda, what its function's coroutine does)
 * @param location {@code File.java:line} of the body, for comments and {@code toString()}
 * @param typeVariables the machine's type variables
 * @param self the field of the user object, or null (a static method's machine)
 * @param parameterFields the constructor's parameters, kept as fields: captured values, then parameters
 * @param fields the fields the lowering allocated (locals living across awaits, temporaries)
 * @param states the states, in the order their cases are written
 * @param localClasses the body's local classes, which become member types
 * @param localClassNames their simple names
 * @param accessClass the nested class of handles on private members, or null
 * @param constants the machine's static fields (the kinds of finally entry, the assertion status)
 * @param methods the machine's methods besides its step: the dispatch of each switch with too many
 *     labels for one state (see {@code SwitchLowering})
 * @param suppressed warnings the user suppressed on the body's local declarations
 * @param hasTryWithResources whether the body has a try-with-resources (its copy may draw javac's
 *     [try] warning: one that repeats the user's source, or one for the alias that stands for a
 *     {@code try (r)} over a field, which Java's own {@code try (r)} is exempt from)
 * @param lambdas the async lambdas of the body and of theirs, flattened in the order they were found,
 *     each lowered into a machine of its own (with an empty list here)
 */
public record LoweredBody(ClassName machine, TypeName result, String location,
    List<TypeVariableName> typeVariables, String self, List<FieldSpec> parameterFields,
    List<FieldSpec> fields, List<Case> states, List<TypeSpec> localClasses, List<String> localClassNames,
    TypeSpec accessClass, List<FieldSpec> constants, List<MethodSpec> methods, java.util.Set<String> suppressed,
    boolean hasTryWithResources, List<LoweredBody> lambdas) {

  /** This body without its async lambdas (which the enclosing body's list holds). */
  LoweredBody withoutLambdas() {
    return new LoweredBody(machine, result, location, typeVariables, self, parameterFields, fields, states,
        localClasses, localClassNames, accessClass, constants, methods, suppressed, hasTryWithResources,
        List.of());
  }

  /**
   * One state: its number, the comment saying where in the source it starts, its code, whether that
   * code ends by jumping, suspending, returning or throwing, and the protected region it lies in (its
   * name, {@code Region.key()}: the field a thrown exception goes to, or a name of its own when the
   * catch runs the handler's code; and the handler state's number, or -1), if any, and the source
   * line it starts at (for a resume state, its await's), or 0 when it stands for no line of its own;
   * how it goes on in another state, a jump or an await, written after its code (null if it does not:
   * it returns or throws, or its code jumps); and the code a catch runs on an exception thrown in it,
   * from {@code thrown$} (null outside every region); and what the code of the innermost lowered loop
   * the state belongs to does with the machine's fields ({@link LoopFields}; null outside every loop
   * that awaits).
   */
  public record Case(int number, String comment, CodeBlock code, boolean closed, String regionField,
      int handler, long line, io.awaitj.processor.model.MachineContract.Tail tail, OnThrow onThrow,
      LoopFields loop) {}

  /**
   * The code a catch runs on an exception thrown in a region, from {@code thrown$}: {@code code}, all
   * of it; and, when it ends with the code of the handler of region {@code then} (its key; null if it
   * does not), what comes before that, {@code before}, which a handler table whose next case is {@code
   * then}'s may write instead, falling through.
   */
  public record OnThrow(CodeBlock code, CodeBlock before, String then) {}
}
