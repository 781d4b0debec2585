package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import io.awaitj.processor.analysis.DirectCalls;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * The machine of a method called directly ({@link DirectCalls}): its one state's code moves to a
 * static method of the machine, {@code direct(awaiting$, parameters)} (returning the primitive of
 * the result's box type when {@link DirectCalls#primitiveResult}), which an {@code await(m(...))}
 * calls with the awaiting machine, and the state runs it with {@code null} ({@code return
 * direct(null, i);}). The parameters keep the names of the machine's fields, which the copied code
 * uses; a failure leaving the body gains the frames it would have gained leaving the machine
 * ({@code Coroutine.tracedDirectly}), and is rethrown as it is.
 */
final class DirectBody {
  private DirectBody() {}

  /** The name of the direct method's parameter holding the awaiting machine. */
  static final String AWAITING = "awaiting$";

  /** The name of the failure caught to add the frames. */
  private static final String FAILURE = "failure$";

  /**
   * {@code lowered}, the body of {@code method} of {@code userType}, with its state running the direct
   * method; null if the lowering did not give the one state without fields that a body without
   * awaits gives (the caller reports it).
   */
  static LoweredBody of(LoweredBody lowered, ExecutableElement method, TypeElement userType,
      boolean primitive) {
    if (lowered.states().size() != 1 || !lowered.fields().isEmpty() || lowered.self() != null
        || !lowered.localClasses().isEmpty() || !lowered.methods().isEmpty() || !lowered.lambdas().isEmpty()
        || !lowered.states().get(0).closed() || lowered.states().get(0).tail() != null
        || lowered.states().get(0).regionField() != null) {
      return null;
    }
    LoweredBody.Case state = lowered.states().get(0);
    if (primitive && state.code().toString().contains("return null;")) {
      // The lowering's return at the end of a body that completes normally, which javac reports as
      // a missing return in the template (a body of the user's returns only done(...), and has no
      // lambda or class): boxed, so that javac's error is the only one. The callers' code compiles
      // either way (B.valueOf(...) unboxes the box).
      primitive = false;
    }
    TypeName result = lowered.result() instanceof WildcardTypeName ? ClassName.OBJECT : lowered.result();
    MethodSpec.Builder direct = MethodSpec.methodBuilder(DirectCalls.METHOD)
        .addModifiers(Modifier.STATIC)
        .addJavadoc("The body of {@code $L.$L}, which has no await: {@code await($L(...))} calls it"
                + " directly,\nwithout a machine ({@code awaiting$$}, the awaiting machine); this machine"
                + " runs it with {@code null}.\n",
            userType.getSimpleName(), method.getSimpleName(), method.getSimpleName())
        .addTypeVariables(lowered.typeVariables())
        .returns(primitive ? result.unbox() : result.box())
        .addParameter(ParameterSpec.builder(
            com.palantir.javapoet.ParameterizedTypeName.get(MachineContract.COROUTINE,
                WildcardTypeName.subtypeOf(Object.class)), AWAITING).build());
    List<CodeBlock> arguments = new ArrayList<>();
    arguments.add(CodeBlock.of("null"));
    for (FieldSpec f : lowered.parameterFields()) {
      direct.addParameter(ParameterSpec.builder(f.type(), f.name()).build());
      arguments.add(CodeBlock.of("$N", f.name()));
    }
    for (TypeMirror t : method.getThrownTypes()) {
      direct.addException(TypeName.get(t));
    }
    String location = lowered.location();
    int colon = location.lastIndexOf(':');
    String file = colon < 0 ? location : location.substring(0, colon);
    long line = state.line();
    if (line <= 0 && colon >= 0) {
      try {
        line = Long.parseLong(location.substring(colon + 1));
      } catch (NumberFormatException e) {
        line = 0;
      }
    }
    direct.beginControlFlow("try");
    if (state.comment() != null && !state.comment().isEmpty()) {
      direct.addCode("// $L\n", state.comment());
    }
    direct.addCode(state.code());
    direct.nextControlFlow("catch ($T $L)", Throwable.class, FAILURE);
    direct.addStatement("tracedDirectly($L, $L, $T.class, $S, $S, $S, $L)", AWAITING, FAILURE,
        lowered.machine(), ClassName.get(userType).reflectionName(), method.getSimpleName().toString(),
        file, line > Integer.MAX_VALUE ? 0 : line);
    direct.addStatement("throw $L", FAILURE);
    direct.endControlFlow();
    List<MethodSpec> methods = List.of(direct.build());
    LoweredBody.Case delegating = new LoweredBody.Case(state.number(), state.comment(),
        CodeBlock.of("return $L($L);\n", DirectCalls.METHOD, CodeBlock.join(arguments, ", ")), true,
        null, -1, state.line(), null, null, null);
    return new LoweredBody(lowered.machine(), lowered.result(), lowered.location(), lowered.typeVariables(),
        null, lowered.parameterFields(), List.of(), List.of(delegating), List.of(), List.of(),
        lowered.accessClass(), lowered.constants(), methods, lowered.suppressed(),
        lowered.hasTryWithResources(), List.of());
  }
}
