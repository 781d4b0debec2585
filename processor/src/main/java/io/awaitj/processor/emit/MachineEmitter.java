package io.awaitj.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import io.awaitj.processor.lower.LoweredBody;
import io.awaitj.processor.model.AsyncType;
import io.awaitj.processor.model.CodeSize;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Types;

/**
 * Round 2: the state-machine class of one {@code @Async} method, a {@code Coroutine} subclass
 * following the runtime's contract: fields for the user object, the parameters and every local that
 * lives across an await; one {@code step()} that dispatches on {@code state}, one commented {@code
 * case} per state (in parts when they would outgrow one method: {@link StepParts}).
 */
public final class MachineEmitter {
  private final Types types;
  private final javax.lang.model.util.Elements elements;
  /** When a step is split into parts (see {@link StepParts}). */
  private final CodeSize sizes;

  /** The compilation's names of java.lang types (see {@link JavaLangNames}). */
  private final JavaLangNames javaLang;

  /**
   * Emits machines with javac's {@code types} and {@code elements}, splitting steps as {@code sizes}
   * says, qualifying the java.lang types the compilation's {@code javaLang} names say are hidden.
   */
  public MachineEmitter(Types types, javax.lang.model.util.Elements elements, CodeSize sizes,
      JavaLangNames javaLang) {
    this.types = types;
    this.elements = elements;
    this.sizes = sizes;
    this.javaLang = javaLang;
  }

  /** The type of the user object a machine holds: {@code X<?>} when the method shadows X's type variables. */
  private static TypeName selfType(AsyncType type, ExecutableElement method) {
    TypeName selfType = TypeName.get(type.element().asType());
    if (type.shadowsTypeVariables(method) && selfType instanceof ParameterizedTypeName p) {
      TypeName[] wildcards = new TypeName[p.typeArguments().size()];
      java.util.Arrays.fill(wildcards, WildcardTypeName.subtypeOf(Object.class));
      selfType = ParameterizedTypeName.get(p.rawType(), wildcards);
    }
    return selfType;
  }

  /** The machine of an @Async method. */
  public Rendered emit(AsyncType type, AsyncType.Method method, LoweredBody lowered) {
    TypeElement x = type.element();
    ExecutableElement m = method.element();
    String javadoc = "State machine of {@code " + x.getSimpleName() + "." + signature(m)
        + "}, compiled by awaitj from " + lowered.location() + ".\n";
    return machine(type, m, lowered, javadoc, m.getSimpleName().toString(),
        io.awaitj.processor.analysis.AsyncElements.generatedType(m.getReturnType()) != null);
  }

  /** The machine of an async lambda inside an @Async method. */
  public Rendered emitLambda(AsyncType type, AsyncType.Method method, LoweredBody lambda) {
    TypeElement x = type.element();
    String javadoc = "State machine of an async lambda in {@code " + x.getSimpleName() + "."
        + signature(method.element()) + "}, compiled by awaitj from " + lambda.location() + ".\n";
    // (Coroutine.toString() shows "async lambda in X.m()" for a frame method "lambda$m".)
    return machine(type, method.element(), lambda, javadoc, "lambda$" + method.element().getSimpleName(),
        false);
  }

  /**
   * The machine's file. Its {@code step()} is first written as one method, and the file rendered;
   * only if the whole file's estimated size is past {@link CodeSize#part} are its states' sizes
   * estimated one by one ({@link StepParts#methods}), which renders each state again, and the step
   * split if they add up to more. (The whole file bounds its step from above, counting type names as
   * the file writes them, imported; nearly every machine is far below the limit.)
   */
  private Rendered machine(AsyncType type, ExecutableElement method, LoweredBody lowered, String javadoc,
      String frameMethod, boolean generator) {
    List<LoweredBody.Case> states = lowered.states();
    java.util.Map<String, TypeName> loopLocalFields = loopLocalFields(lowered);
    Rendered whole = Rendered.of(machine(type, method, lowered, javadoc, frameMethod, generator,
        List.of(StepParts.single(states, firstLine(lowered), lowered.hasTryWithResources(),
            loopLocalFields))));
    // (The estimate counts characters of the text, at most its length.)
    if (states.size() < 2 || whole.text().length() <= sizes.part()
        || CodeSize.estimate(whole.text()) <= sizes.part()) {
      return whole;
    }
    List<MethodSpec> steps =
        StepParts.methods(states, sizes, firstLine(lowered), lowered.hasTryWithResources(),
            loopLocalFields);
    return steps.size() == 1 ? whole
        : Rendered.of(machine(type, method, lowered, javadoc, frameMethod, generator, steps));
  }

  /**
   * The machine's fields a loop turning in its head's case may hold in Java locals ({@link
   * LoopLocals}), name to type, in their order: the parameters' and the lowering's, not final.
   */
  private static java.util.Map<String, TypeName> loopLocalFields(LoweredBody lowered) {
    java.util.Map<String, TypeName> out = new java.util.LinkedHashMap<>();
    for (List<FieldSpec> list : List.of(lowered.parameterFields(), lowered.fields())) {
      for (FieldSpec f : list) {
        if (!f.modifiers().contains(Modifier.FINAL) && !f.modifiers().contains(Modifier.STATIC)) {
          out.put(f.name(), f.type());
        }
      }
    }
    return out;
  }

  private JavaFile machine(AsyncType type, ExecutableElement method, LoweredBody lowered, String javadoc,
      String frameMethod, boolean generator, List<MethodSpec> steps) {
    TypeElement x = type.element();
    ClassName name = lowered.machine();
    TypeSpec.Builder machine =
        TypeSpec.classBuilder(name)
            .addModifiers(Modifier.FINAL)
            .addOriginatingElement(x)
            .addAnnotation(ShellEmitter.generatedAnnotation())
            .addAnnotation(Suppressions.annotation(Suppressions.OUTSIDE_THE_CLASS,
                Suppressions.rawTypesIn(method), Suppressions.inScope(method), lowered.suppressed()))
            .superclass(MachineContract.superclass(lowered.result(), generator))
            .addJavadoc("$L", javadoc)
            .addTypeVariables(lowered.typeVariables())
            .alwaysQualify(ShellEmitter.typeVariableNames(type));

    List<ParameterSpec> made = new ArrayList<>();
    String self = lowered.self();
    if (self != null) {
      TypeName selfType = selfType(type, method);
      machine.addField(FieldSpec.builder(selfType, self, Modifier.PRIVATE, Modifier.FINAL).build());
      made.add(ParameterSpec.builder(selfType, self).build());
    }
    for (FieldSpec f : lowered.parameterFields()) {
      machine.addField(f);
      made.add(ParameterSpec.builder(f.type(), f.name()).build());
    }
    machine.addMethods(MachineContract.creation(typeOf(name, lowered.typeVariables()), lowered.typeVariables(),
        made, self != null, true));
    for (FieldSpec f : lowered.fields()) {
      machine.addField(f);
    }
    for (FieldSpec f : lowered.constants()) {
      machine.addField(f);
    }
    if (steps.size() > 1) {
      machine.addField(MachineContract.otherPartField());
    }
    // The body's local classes become members, so that every state sees them: other types of those
    // names are written in full.
    machine.alwaysQualify(lowered.localClassNames().toArray(new String[0]));
    machine.addTypes(lowered.localClasses());
    for (MethodSpec step : steps) {
      machine.addMethod(step);
    }
    lowered.methods().forEach(machine::addMethod);
    if (lowered.accessClass() != null) {
      machine.addType(lowered.accessClass());
    }
    // No toString(): Coroutine's reads the sourceFrame() table.
    machine.addMethod(sourceFrame(x, frameMethod, lowered));
    // java.lang's types go unimported, except those a type of the package hides.
    machine.alwaysQualify(javaLang.hiddenIn(x));
    return JavaFile.builder(name.packageName(), machine.build())
        .skipJavaLangImports(true)
        .indent("    ")
        .build();
  }

  /**
   * A machine for a method that could not be compiled (its errors are reported): the right
   * constructor, and a step that throws. It exists only so that XAsync compiles, and so do the
   * callers' direct calls of a method {@code direct} ({@link
   * io.awaitj.processor.analysis.DirectCalls#isDirect}, decided from its source as the callers decide
   * it): its direct method throws too.
   */
  public Rendered emitFailed(AsyncType type, AsyncType.Method method, String location, boolean direct) {
    TypeElement x = type.element();
    ExecutableElement m = method.element();
    TypeSpec.Builder machine =
        TypeSpec.classBuilder(method.machine())
            .addModifiers(Modifier.FINAL)
            .addOriginatingElement(x)
            .addAnnotation(ShellEmitter.generatedAnnotation())
            .addAnnotation(Suppressions.annotation(Suppressions.OUTSIDE_THE_CLASS, Suppressions.SIGNATURE))
            .superclass(MachineContract.superclass(AsyncType.resultType(m),
                io.awaitj.processor.analysis.AsyncElements.generatedType(m.getReturnType()) != null))
            .addJavadoc("Placeholder for {@code $L.$L}, which did not compile.\n", x.getSimpleName(),
                signature(m));
    machine.addTypeVariables(type.machineTypeVariables(method));
    machine.alwaysQualify(ShellEmitter.typeVariableNames(type));
    machine.alwaysQualify(javaLang.hiddenIn(x));
    List<ParameterSpec> made = new ArrayList<>();
    if (!method.isStatic()) {
      made.add(ParameterSpec.builder(selfType(type, m), "self").build());
    }
    for (VariableElement p : m.getParameters()) {
      made.add(ParameterSpec.builder(TypeName.get(p.asType()), "p" + made.size()).build());
    }
    List<TypeVariableName> typeVariables = type.machineTypeVariables(method);
    machine.addMethods(MachineContract.creation(typeOf(method.machine(), typeVariables), typeVariables, made,
        !method.isStatic(), false));
    String message = x.getSimpleName() + "." + m.getSimpleName() + " (" + location + ") did not compile";
    machine.addMethod(MachineContract.failedStep(message));
    if (direct) {
      machine.addMethod(failedDirect(type, method, message));
    }
    return Rendered.of(JavaFile.builder(method.machine().packageName(), machine.build())
        .skipJavaLangImports(true).indent("    ").build());
  }

  /**
   * The direct method of a placeholder machine: the signature the callers' direct calls need (the
   * awaiting coroutine, then m's parameters; the result's box type, into which a caller's primitive
   * use unboxes, as with DirectBody's boxed result), and a body that throws.
   */
  private static MethodSpec failedDirect(AsyncType type, AsyncType.Method method, String message) {
    ExecutableElement m = method.element();
    TypeName result = AsyncType.resultType(m);
    MethodSpec.Builder direct = MethodSpec.methodBuilder(io.awaitj.processor.analysis.DirectCalls.METHOD)
        .addModifiers(Modifier.STATIC)
        .addJavadoc("Placeholder for the direct call of {@code $L.$L}, which did not compile.\n",
            type.element().getSimpleName(), m.getSimpleName())
        .addTypeVariables(type.machineTypeVariables(method))
        .returns(result.isPrimitive() ? result.box() : result)
        .addParameter(ParameterSpec.builder(com.palantir.javapoet.ParameterizedTypeName.get(
            MachineContract.COROUTINE, com.palantir.javapoet.WildcardTypeName.subtypeOf(Object.class)),
            "awaiting$").build());
    int n = 0;
    for (VariableElement p : m.getParameters()) {
      direct.addParameter(ParameterSpec.builder(TypeName.get(p.asType()), "p" + n++).build());
    }
    for (javax.lang.model.type.TypeMirror t : m.getThrownTypes()) {
      direct.addException(TypeName.get(t));
    }
    return direct.addStatement("throw new $T($S)", IllegalStateException.class, message).build();
  }

  /**
   * The machine's {@code sourceFrame()}: the user's class (its binary name, as stack traces write
   * it), method and file, and the source line of each state.
   */
  private static MethodSpec sourceFrame(TypeElement x, String method, LoweredBody lowered) {
    String location = lowered.location();
    int colon = location.lastIndexOf(':');
    String file = colon < 0 ? location : location.substring(0, colon);
    long firstLine = firstLine(lowered);
    List<Long> lines = new ArrayList<>();
    for (LoweredBody.Case c : lowered.states()) {
      lines.add(c.line());
    }
    return MachineContract.sourceFrame(ClassName.get(x).reflectionName(), method, file, firstLine, lines);
  }

  /** The line of the body, from its location ({@code File.java:line}); 0 if it has none. */
  private static long firstLine(LoweredBody lowered) {
    String location = lowered.location();
    int colon = location.lastIndexOf(':');
    try {
      return colon < 0 ? 0 : Long.parseLong(location.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 0; // a file name with a colon and no line: the body's line stays unknown
    }
  }

  /** {@code name}, or {@code name<T, ...>} when the machine has type variables. */
  private static TypeName typeOf(ClassName name, List<TypeVariableName> typeVariables) {
    return typeVariables.isEmpty() ? name
        : ParameterizedTypeName.get(name, typeVariables.toArray(new TypeName[0]));
  }

  private String signature(ExecutableElement m) {
    List<String> params = new ArrayList<>();
    for (VariableElement p : m.getParameters()) {
      params.add(types.erasure(p.asType()).toString());
    }
    return m.getSimpleName() + "(" + String.join(", ", params) + ")";
  }
}
