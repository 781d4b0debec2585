package io.awaitj.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The contract between generated code and the runtime, in one place: every runtime name the
 * generated code uses, and every code shape of a state machine's protocol. No other class of the
 * processor writes a protocol literal ({@code state = }, {@code suspendOn}, {@code SUSPEND}, {@code
 * awaitResult}, the dispatch label); a change to how generated machines run starts and ends here.
 *
 * <p>A machine extends {@code io.awaitj.Coroutine<T>} and implements {@code step()} (see that class's
 * javadoc): {@code step()} runs from the current {@code state} until the body returns its result,
 * throws, or suspends. Its shape:
 *
 * <pre>{@code
 * dispatch$:
 * while (true) {
 *   Object awaited$ = SUSPEND;                    // what awaitNow gave: a value or SUSPEND
 *   switch (state) {
 *     case 0:                                     // File.java:12: the source line of the state
 *       ...
 *       state = 1;                                // suspend(1, awaitable, release)
 *       if ((awaited$ = awaitNow(awaitable)) == SUSPEND) { ...; return SUSPEND; }
 *                                                 // completed already: falls through into its resume
 *     case 1: {                                   // a block: it declares a local
 *       int v = this.<Integer>awaitedValue(awaited$);  // resumeValue(int): the value, or its failure thrown
 *       ...
 *       state = 4;                                // a jump (jump(4))
 *       continue dispatch$;
 *     }
 *     ...
 *     default: throw illegalState();
 *   }
 * }
 * }</pre>
 *
 * A state that goes on in the case written right after it falls through into it (no {@code continue},
 * and no store to {@code state} when both show the same source line: {@code state} is read only
 * when the machine is stepped again, and for the line its stack frame shows). An await whose resume
 * state is not written right after it (rare: a resume state is made right after its await) uses
 * {@code if (suspendOn(awaitable)) return SUSPEND; continue dispatch$;}, the outcome going through
 * the machine's fields. The head of an innermost loop holds the loop as a {@code while (true)} with a
 * copy of the loop's later states, so that a turn whose awaits complete at once does not go round the
 * dispatch loop ({@code io.awaitj.processor.emit.LoopCases}).
 *
 * A machine with states inside a lowered {@code try} has its {@code switch} inside one {@code try},
 * whose {@code catch} finds by {@code state} the region of the state that threw ({@link #handlerTable})
 * and runs the region's handler there (a catch clause's test, a finally's entry), or, for a handler that
 * could rethrow into a region around it, stores the exception in the region's field and jumps to the
 * region's handler state.
 * So {@code state} must name, whenever code of a state runs, a state of the same region: code that
 * stores another state's number and runs on, or jumps from inside a {@code try} of the copied code,
 * is in a region's {@code try} of its own instead, {@link #protect} (see {@code emit.Handlers}).
 *
 * <p>At the JVM's limits on a method: a machine whose states outgrow one method has its step split
 * into parts ({@link #splitStep}); a switch with many labels finds its case in methods of its own
 * ({@link #dispatchMethod}); a machine whose constructor could not take all its arguments is made by
 * a static factory ({@link #creation}).
 */
public final class MachineContract {
  private MachineContract() {}

  // ---------------------------------------------------------------------------------------------
  // Runtime names.

  /** The runtime's package. */
  public static final String PACKAGE = "io.awaitj";
  /** The annotation the processor claims. */
  public static final String ASYNC = PACKAGE + ".Async";
  /** The entry points, whose {@code await} and {@code done} templates call. */
  public static final String AIO = PACKAGE + ".Aio";

  /** The runtime's types that generated code names. */
  public static final ClassName COROUTINE = ClassName.get(PACKAGE, "Coroutine");
  /** One of the runtime's types that generated code names (see {@link #COROUTINE}). */
  public static final ClassName AWAITABLE = ClassName.get(PACKAGE, "Awaitable");
  /** One of the runtime's types that generated code names (see {@link #COROUTINE}). */
  public static final ClassName ASYNC_CLOSEABLE = ClassName.get(PACKAGE, "AsyncCloseable");
  /** One of the runtime's types that generated code names (see {@link #COROUTINE}). */
  public static final ClassName CANCELLED_ERROR = ClassName.get(PACKAGE, "CancelledError");
  /** One of the runtime's types that generated code names (see {@link #COROUTINE}). */
  public static final ClassName ASYNC_ITERABLE = ClassName.get(PACKAGE, "AsyncIterable");
  /** One of the runtime's types that generated code names (see {@link #COROUTINE}). */
  public static final ClassName ASYNC_ITERATOR = ClassName.get(PACKAGE, "AsyncIterator");

  /** The result type of an {@code @Async} generator. */
  public static final ClassName ASYNC_GENERATOR = ClassName.get(PACKAGE, "AsyncGenerator");
  /** The superclass of a generator's machine. */
  public static final ClassName GENERATOR_MACHINE = ClassName.get(PACKAGE, "GeneratorMachine");

  /** The suffix of generated classes: {@code Crawler} → {@code CrawlerAsync}. */
  public static final String SUFFIX = "Async";

  /**
   * The value of the {@code @Generated} annotation on every generated class: the processor's class
   * name (a string, so that nothing below the processor's root package refers to the driver).
   */
  public static final String GENERATOR = "io.awaitj.processor.AsyncProcessor";

  /**
   * The annotation on every generated class, naming {@link #GENERATOR}: how awaitj tells the classes
   * it wrote from the user's (source retention: a class file has lost it).
   */
  public static final String GENERATED = "javax.annotation.processing.Generated";

  // ---------------------------------------------------------------------------------------------
  // Members of a machine.

  /** The field (of {@code Coroutine}) holding the state to run next. */
  public static final String STATE = "state";
  /** What {@code step()} returns when it suspends (a constant of {@code Coroutine}). */
  private static final String SUSPEND = "SUSPEND";
  /** The method a machine implements. */
  private static final String STEP = "step";
  /** The label of {@code step()}'s dispatch loop: a user label cannot contain '$' by convention. */
  private static final String DISPATCH = "dispatch$";
  /**
   * What a part of a split {@code step()} returns when the machine goes on in a state of another part
   * (see {@link #splitStep}): a constant of the machine, which no body can return.
   */
  private static final String OTHER_PART = "OTHER_PART$";

  /**
   * The machine's static flag holding whether assertions are enabled for the user's outermost class
   * (see {@link #assertionsField}).
   */
  public static final String ASSERTIONS = "assertions$";

  /**
   * Names a machine's own fields and locals never take: the members above (a field named {@code
   * state} would hide the one the protocol writes), the dispatch label's stem, and the parameter of
   * a region's catch ({@link #THROWN}), which would hide a field of its name in the handler code that
   * stores a caught exception into a catch clause's parameter. ({@code Coroutine}'s
   * finally kinds, {@link #FINALLY_NORMAL} and the next three, need not be listed: a local whose name
   * starts with a capital takes a field named with a '$' more.)
   */
  public static final List<String> RESERVED_FIELD_NAMES =
      List.of(STATE, SUSPEND, STEP, "dispatch", OTHER_PART, "EMITTED", "awaited$", "DELIVERED", "EXHAUSTED",
          "thrown$");

  /**
   * The local of the dispatch loop holding what {@code awaitNow} returned, for the resume label's
   * {@code awaitedValue(awaited$)}, which the await falls through into; every turn of the loop starts
   * it as {@code SUSPEND}, so that a state entered through the dispatch (a machine stepped again after
   * a suspension) takes the outcome from the machine's fields. Declared in the loop, it is never live
   * across a turn: the JIT need not keep what an await returned, and can drop its box.
   */
  private static final String AWAITED = "awaited$";

  /**
   * Why a lowered {@code finally} block was entered, as its kind field records it: the names of the
   * constants of {@code Coroutine} (protected, used by name; no machine declares them). Their '$'
   * keeps them clear of the user's names, which the copied code uses unchanged.
   */
  public static final String FINALLY_NORMAL = "NORMAL$";
  /** The {@code finally} block was entered by an exception (see {@link #FINALLY_NORMAL}). */
  public static final String FINALLY_THROW = "THROW$";
  /** The {@code finally} block was entered by a {@code return} (see {@link #FINALLY_NORMAL}). */
  public static final String FINALLY_RETURN = "RETURN$";
  /** The {@code finally} block was entered by a {@code break} or {@code continue} out of it. */
  public static final String FINALLY_JUMP = "JUMP$";

  /**
   * {@code Coroutine.closeFailed$(primary, failure)}: the exception a resource's finally goes on with
   * after its awaited close failed (Java's suppression rules, and asyncio's for a cancellation), or
   * {@code failure} thrown when the block had none. Protected and static, used by name.
   */
  public static final String CLOSE_FAILED = "closeFailed$";

  /**
   * Names a member type of a machine (a local class of the body, declared as a member) cannot take:
   * the class of handles on private members ({@code Access}), and the machine's own members that a
   * type of the same name would make ambiguous in the generated code.
   */
  public static final Set<String> RESERVED_TYPE_NAMES = Set.of("Access", STATE, SUSPEND, "EMITTED", "EXHAUSTED");

  /**
   * The declaration of {@link #ASSERTIONS}: javac's own asserts in the user's class follow its
   * outermost class's status, so the machine's copies do too.
   */
  public static com.palantir.javapoet.FieldSpec assertionsField(TypeName outermostClass) {
    return com.palantir.javapoet.FieldSpec.builder(boolean.class, ASSERTIONS, Modifier.PRIVATE,
            Modifier.STATIC, Modifier.FINAL)
        .initializer("$T.class.desiredAssertionStatus()", outermostClass)
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Making a machine.

  /**
   * The most slots the parameters of a method may take, its {@code this} included (JVMS 4.3.3: a
   * {@code long} or {@code double} takes two, any other value one).
   */
  public static final int MAX_PARAMETER_SLOTS = 255;

  /** The static method that makes a machine whose constructor could not take all its arguments. */
  private static final String FACTORY = "create$";

  /** How many parameter slots values of {@code types} take. */
  public static int slots(List<TypeName> types) {
    int slots = 0;
    for (TypeName t : types) {
      slots += t.equals(TypeName.LONG) || t.equals(TypeName.DOUBLE) ? 2 : 1;
    }
    return slots;
  }

  /**
   * Whether a machine whose constructor would take arguments of {@code types} (the user object, the
   * captured values and the parameters) is made by a static factory instead ({@link #creation}): a
   * constructor's {@code this} takes a slot more than the user's static method, or than its instance
   * method takes beside the user object, so the JVM's limit can admit the method and not the
   * constructor.
   */
  public static boolean madeByFactory(List<TypeName> types) {
    return 1 + slots(types) > MAX_PARAMETER_SLOTS;
  }

  /**
   * The expression that makes machine {@code machine} (generic: {@code <>}, or inference for the
   * factory) from {@code arguments} of types {@code types}: {@code new M(self, a, b)}, or {@code
   * M.create$(self, a, b)} when {@link #madeByFactory}.
   */
  public static CodeBlock make(ClassName machine, boolean generic, List<TypeName> types, String arguments) {
    if (madeByFactory(types)) {
      return CodeBlock.of("$T.$N($L)", machine, FACTORY, arguments);
    }
    return CodeBlock.of("new $T$L($L)", machine, generic ? "<>" : "", arguments);
  }

  /**
   * The constructor of a machine taking {@code parameters} (the user object first, if any), each
   * stored in the field of its name when {@code store}; or, when they are more than a constructor
   * may take ({@link #madeByFactory}), a constructor taking the user object (if {@code self}) and a
   * static factory taking them all, which stores the others:
   *
   * <pre>{@code
   * private M(X self) {
   *   this.self = self;
   * }
   *
   * static M create$(X self, int a, ...) {  // 254 parameters for a constructor's 253
   *   M machine$ = new M(self);
   *   machine$.a = a;
   *   ...
   *   return machine$;
   * }
   * }</pre>
   */
  public static List<MethodSpec> creation(TypeName machine, List<TypeVariableName> typeVariables,
      List<com.palantir.javapoet.ParameterSpec> parameters, boolean self, boolean store) {
    List<TypeName> types = new java.util.ArrayList<>();
    parameters.forEach(p -> types.add(p.type()));
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
    if (!madeByFactory(types)) {
      for (com.palantir.javapoet.ParameterSpec p : parameters) {
        constructor.addParameter(p);
        if (store) {
          constructor.addStatement("this.$N = $N", p.name(), p.name());
        }
      }
      return List.of(constructor.build());
    }
    constructor.addModifiers(Modifier.PRIVATE);
    List<com.palantir.javapoet.ParameterSpec> rest = parameters;
    if (self) {
      com.palantir.javapoet.ParameterSpec s = parameters.get(0);
      constructor.addParameter(s);
      if (store) {
        constructor.addStatement("this.$N = $N", s.name(), s.name());
      }
      rest = parameters.subList(1, parameters.size());
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    parameters.forEach(p -> names.add(p.name()));
    String made = "machine$";
    while (names.contains(made)) {
      made += "$";
    }
    MethodSpec.Builder factory = MethodSpec.methodBuilder(FACTORY)
        .addModifiers(Modifier.STATIC)
        .addTypeVariables(typeVariables)
        .returns(machine)
        .addJavadoc("Makes the machine: its parameters take more than the $L slots a constructor may"
            + " take with its {@code this}.\n", MAX_PARAMETER_SLOTS - 1)
        .addParameters(parameters)
        .addStatement("$T $N = new $T($L)", machine, made, machine, self ? parameters.get(0).name() : "");
    if (store) {
      for (com.palantir.javapoet.ParameterSpec p : rest) {
        factory.addStatement("$N.$N = $N", made, p.name(), p.name());
      }
    }
    factory.addStatement("return $N", made);
    return List.of(constructor.build(), factory.build());
  }

  /** The superclass of a machine producing {@code result}. */
  public static TypeName superclass(TypeName result) {
    return ParameterizedTypeName.get(COROUTINE, result.box());
  }

  /**
   * The superclass of a machine producing {@code result} or, if {@code generator}, of a generator's
   * machine emitting values of type {@code result}.
   */
  public static TypeName superclass(TypeName result, boolean generator) {
    return generator ? ParameterizedTypeName.get(GENERATOR_MACHINE, result.box()) : superclass(result);
  }

  // ---------------------------------------------------------------------------------------------
  // Code shapes inside a state.

  /**
   * Ends a state by going to {@code target}: a state (printed as its number) or the name of an int
   * field holding one.
   */
  public static CodeBlock jump(Object target) {
    return CodeBlock.builder()
        .addStatement("$N = $L", STATE, target)
        .addStatement("continue $L", DISPATCH)
        .build();
  }

  /**
   * How a state goes on in another one, written after its code: a jump to state {@code next} ({@code
   * awaitable} null), or an await of {@code awaitable} that resumes in state {@code next} and runs
   * {@code release} if it suspends.
   *
   * @param next the number of the state it goes on in
   * @param awaitable what it awaits, or null for a jump
   * @param release what runs before it suspends (for an await)
   * @param element whether the await is an async for's of its next element, {@code awaitable} being
   *     the iterator ({@code awaitNext}/{@code suspendNext} instead of {@code awaitNow}/{@code
   *     suspendOn}; see {@link #resumeNext})
   * @param consumed what runs as soon as the await has begun, whether it suspends or not: it clears
   *     the fields of variables that only the awaited expression read (empty if none; see {@link
   *     #suspend(Object, CodeBlock, CodeBlock, CodeBlock)})
   */
  public record Tail(int next, CodeBlock awaitable, CodeBlock release, boolean element, CodeBlock consumed) {
    /** A jump ({@code awaitable} null) or an await of an awaitable. */
    public Tail(int next, CodeBlock awaitable, CodeBlock release) {
      this(next, awaitable, release, false, CodeBlock.of(""));
    }

    /** Whether the state ends by an await (else by a jump). */
    public boolean awaits() {
      return awaitable != null;
    }
  }

  /**
   * The code of {@code tail}: see {@link #jump} and {@link #suspend}.
   *
   * @param fallsThrough the state's case is followed by that of {@code tail.next()}, in the same
   *     method: the code falls through into it instead of continuing the dispatch; an await hands its
   *     value over in {@link #AWAITED} only then (else the outcome goes through the machine's fields,
   *     as {@link #AWAITED} is {@code SUSPEND} again in a state entered through the dispatch)
   * @param storesState whether a jump that falls through stores its target in {@code state} (the
   *     target shows another source line); a jump that does not fall through always does
   */
  public static CodeBlock tail(Tail tail, boolean fallsThrough, boolean storesState) {
    if (!tail.awaits()) {
      if (!fallsThrough) {
        return jump(tail.next());
      }
      return storesState ? CodeBlock.builder().addStatement("$N = $L", STATE, tail.next()).build()
          : CodeBlock.of("");
    }
    if (!fallsThrough) {
      return CodeBlock.builder()
          .addStatement("$N = $L", STATE, tail.next())
          .beginControlFlow("if ($L($L))", tail.element() ? "suspendNext" : "suspendOn", tail.awaitable())
          .add(tail.consumed())
          .add(tail.release())
          .addStatement("return $N", SUSPEND)
          .endControlFlow()
          .add(tail.consumed())
          .addStatement("continue $L", DISPATCH)
          .build();
    }
    if (tail.element()) {
      return awaiting(tail.next(), CodeBlock.of("awaitNext($L)", tail.awaitable()), tail.release(),
          tail.consumed());
    }
    return suspend(tail.next(), tail.awaitable(), tail.release(), tail.consumed());
  }

  /**
   * An await of {@code awaitable} whose outcome goes through the machine's fields, for a resume state
   * that takes it with {@link #resumeFromFields()} inside a {@code try} of its own (the awaited
   * {@code closeAsync()} of a resource): the machine stores {@code resume}, and if the await suspends
   * runs {@code release} and returns; else a failure already there waits in the fields, not thrown
   * here, where that {@code try} would not catch it ({@code awaitNow} throws such a failure at the
   * await). The state then goes on in {@code resume} by a jump.
   */
  public static CodeBlock suspendThroughFields(Object resume, CodeBlock awaitable, CodeBlock release) {
    return CodeBlock.builder()
        .addStatement("$N = $L", STATE, resume)
        .beginControlFlow("if (suspendOn($L))", awaitable)
        .add(release)
        .addStatement("return $N", SUSPEND)
        .endControlFlow()
        .build();
  }

  /** The statement that takes the outcome of a {@link #suspendThroughFields} await and drops it. */
  public static CodeBlock resumeFromFields() {
    return CodeBlock.builder().addStatement("awaitResult()").build();
  }

  /**
   * Ends a state by awaiting {@code awaitable}, to go on in state {@code resume}, which the code falls
   * through into. If the awaited thing has not completed, {@code release} runs (clearing fields a
   * suspended machine need not keep) and the machine suspends; if it has, the machine runs on at once,
   * without suspending, the value in {@link #AWAITED}.
   */
  public static CodeBlock suspend(Object resume, CodeBlock awaitable, CodeBlock release) {
    return suspend(resume, awaitable, release, CodeBlock.of(""));
  }

  /**
   * {@link #suspend(Object, CodeBlock, CodeBlock)}, then {@code consumed} as soon as the await has
   * begun, whether it suspends or not: it clears the fields of variables that only the awaited
   * expression read. A machine suspended there keeps them no longer, and one that runs on at once (a
   * coroutine that completes without suspending, which the JIT replaces by its fields inside its
   * caller's loop) holds no register for them through the rest of its run.
   */
  public static CodeBlock suspend(Object resume, CodeBlock awaitable, CodeBlock release, CodeBlock consumed) {
    return awaiting(resume, CodeBlock.of("awaitNow($L)", awaitable), release, consumed);
  }

  /** {@link #suspend}, the await begun by {@code await} ({@code awaitNow(a)} or {@code awaitNext(i)}). */
  private static CodeBlock awaiting(Object resume, CodeBlock await, CodeBlock release, CodeBlock consumed) {
    CodeBlock.Builder b = CodeBlock.builder().addStatement("$N = $L", STATE, resume);
    if (consumed.isEmpty()) {
      b.beginControlFlow("if (($N = $L) == $N)", AWAITED, await, SUSPEND);
    } else {
      b.addStatement("$N = $L", AWAITED, await).add(consumed).beginControlFlow("if ($N == $N)", AWAITED, SUSPEND);
    }
    return b.add(release)
        .addStatement("return $N", SUSPEND)
        .endControlFlow()
        .build();
  }

  /**
   * Ends a state of a generator's machine by emitting {@code value}, to go on in state {@code resume}
   * when the consumer asks for the next value (see {@code io.awaitj.GeneratorMachine}): the machine
   * hands the value over, runs {@code release} and leaves {@code step()}. The resume state starts with
   * {@link #resumeDiscarding()}, which throws the {@code GeneratorExit} of a close there.
   */
  public static CodeBlock emit(Object resume, CodeBlock value, CodeBlock release) {
    return CodeBlock.builder()
        .addStatement("$N = $L", STATE, resume)
        .addStatement("emit$$($L)", value)
        .add(release)
        .addStatement("return EMITTED")
        .build();
  }

  /**
   * The result of the await the machine resumed from, of type {@code type}, as an expression to use
   * exactly once, where the await stood (it throws the awaited failure there).
   */
  public static CodeBlock resumeValue(TypeName type) {
    return CodeBlock.of("this.<$T>awaitedValue($N)", type, AWAITED);
  }

  /**
   * At the resume state of an async for's await of its next element (a {@link Tail} with {@code
   * element}): the element, or {@code EXHAUSTED} when {@code iterator} has none, as an expression of type
   * Object to use exactly once (it throws the iterator's failure there); see {@link #element} and
   * {@link #exhausted}.
   */
  public static CodeBlock resumeNext(String iterator) {
    return CodeBlock.of("nextOf($N, $N)", AWAITED, iterator);
  }

  /** Whether {@code next}, what {@link #resumeNext} gave, says the iterator has no more elements. */
  public static CodeBlock exhausted(String next) {
    return CodeBlock.of("$N == EXHAUSTED", next);
  }

  /** {@code next}, what {@link #resumeNext} gave, as the loop's element type {@code type}. */
  public static CodeBlock element(TypeName type, String next) {
    return CodeBlock.of("this.<$T>asElement($N)", type, next);
  }

  /** The statement that takes the result of the await the machine resumed from, and drops it. */
  public static CodeBlock resumeDiscarding() {
    return CodeBlock.builder().addStatement("awaitedValue($N)", AWAITED).build();
  }

  /**
   * The statement that starts the state a generator resumes at after an emit: it throws the {@code
   * GeneratorExit} of a close there (the runtime delivers it to the fields). {@code afterEmit$()}
   * reads only the failure field, where {@code awaitResult()} read the value's too: the check runs
   * once per element of every generator.
   */
  public static CodeBlock resumeAfterEmit() {
    return CodeBlock.builder().addStatement("afterEmit$$()").build();
  }

  /** Completes the machine with {@code value} (null for {@code done()}). */
  public static CodeBlock complete(CodeBlock value) {
    return CodeBlock.builder().addStatement("return $L", value == null ? CodeBlock.of("null") : value).build();
  }

  /**
   * A method that gives the state of the case of a switch whose label matches {@code selector}: the
   * dispatch of a switch with too many labels for one state, in methods of a few hundred labels each
   * (the state jumps to {@link #dispatchCall}). {@code labels.get(i)} (a case's labels, as the source
   * writes them) goes to {@code targets.get(i)}; no match goes to state {@code otherwise}, or, if
   * {@code next} is not null, to what method {@code next} (the dispatch of the switch's next labels)
   * gives.
   *
   * <pre>{@code
   * private static int cases$1(int selector$) {
   *   switch (selector$) {
   *     case 1, 2:
   *       return 5;
   *     ...
   *     default:
   *       return cases$2(selector$);
   *   }
   * }
   * }</pre>
   */
  public static MethodSpec dispatchMethod(String name, TypeName selector, String javadoc,
      List<CodeBlock> labels, List<?> targets, Object otherwise, String next) {
    CodeBlock.Builder b = CodeBlock.builder().beginControlFlow("switch ($N)", SELECTOR);
    for (int i = 0; i < labels.size(); i++) {
      b.add("case $L:\n", labels.get(i)).indent().addStatement("return $L", targets.get(i)).unindent();
    }
    b.add("default:\n").indent();
    if (next != null) {
      b.addStatement("return $N($N)", next, SELECTOR);
    } else {
      b.addStatement("return $L", otherwise);
    }
    b.unindent().endControlFlow();
    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(int.class)
        .addParameter(selector, SELECTOR)
        .addJavadoc("$L", javadoc)
        .addCode(b.build())
        .build();
  }

  /** The parameter of a {@link #dispatchMethod}: '$' keeps it clear of the names in the labels. */
  private static final String SELECTOR = "selector$";

  /** The state a {@link #dispatchMethod} gives for {@code selector}, to {@link #jump} to. */
  public static CodeBlock dispatchCall(String method, CodeBlock selector) {
    return CodeBlock.of("$N($L)", method, selector);
  }

  // ---------------------------------------------------------------------------------------------
  // The step method.

  /**
   * The parameter of the {@code catch} of a protected region's {@code try} ({@link #protect}, {@link
   * #handlerTable}), from which the region's handler code ({@code onThrow}) reads the exception.
   */
  public static final String THROWN = "thrown$";

  /**
   * The handler code ({@code onThrow}) of a region whose handler is a state: the exception is stored
   * in {@code exceptionField} and the machine goes to state {@code handler}.
   */
  public static CodeBlock toHandler(String exceptionField, Object handler) {
    return CodeBlock.builder().addStatement("$N = $N", exceptionField, THROWN).add(jump(handler)).build();
  }

  /**
   * The code of a state inside a protected region in a {@code try} of its own (where the step's
   * handler table cannot find its region by {@code state}: see the class comment): what it throws
   * goes to the region's handler code {@code onThrow} (see {@link #toHandler}), which reads it from
   * {@link #THROWN}.
   */
  public static CodeBlock protect(CodeBlock code, CodeBlock onThrow) {
    return CodeBlock.builder()
        .beginControlFlow("try")
        .add(code)
        .nextControlFlow("catch ($T $N)", Throwable.class, THROWN)
        .add(onThrow)
        .endControlFlow()
        .build();
  }

  /**
   * One {@code case} of the dispatch loop: the code of state {@code label}, its comment (its source
   * line) on the {@code case} line, in braces if {@code block} (the code declares a local at its top
   * level, which without them would be in scope in the later cases); a state that does not end by
   * jumping, suspending, returning or throwing is a bug of the lowering, which then fails loudly.
   */
  public static CodeBlock stateCase(Object label, String comment, CodeBlock code, boolean closed,
      boolean block) {
    CodeBlock.Builder b = CodeBlock.builder().add(block ? "case $L: {" : "case $L:", label);
    if (comment != null) {
      b.add(" // $L", comment.replace('\n', ' '));
    }
    b.add("\n").indent().add(code);
    if (!closed) {
      b.addStatement("throw illegalState()");
    }
    return b.unindent().add(block ? "}\n" : "").build();
  }

  /**
   * The {@code step()} method running {@code cases} (each from {@link #stateCase}); {@code awaits}:
   * whether they await (they need the local {@link #AWAITED}); {@code handlers}: where an exception
   * thrown in a state of a region goes ({@link #handlerTable}; empty: none is, and no {@code try}).
   */
  public static MethodSpec.Builder step(List<CodeBlock> cases, boolean awaits, List<Handler> handlers) {
    return stepSignature().addException(Throwable.class)
        .addCode(dispatch(cases, CodeBlock.builder().addStatement("throw illegalState()").build(), awaits,
            handlers));
  }

  /**
   * An entry of the handler table of a step ({@link #dispatch}): an exception thrown while {@code
   * state} is one of {@code states} (the states of one protected region, named {@code region}) runs
   * the region's handler code {@code onThrow}, which reads it from {@link #THROWN} (see {@link
   * #toHandler}). When {@code onThrow} ends with the code of region {@code then}'s handler (else null),
   * {@code before} is what comes before it: where the next entry is {@code then}'s, the table writes
   * {@code before} and falls through into it.
   */
  public record Handler(String region, CodeBlock onThrow, CodeBlock before, String then, List<Integer> states) {}

  /** Whether a case of the handler table of {@code handlers} falls through into the next (see {@link Handler}). */
  public static boolean fallsThrough(List<Handler> handlers) {
    for (int k = 0; k + 1 < handlers.size(); k++) {
      if (fallsInto(handlers.get(k), handlers.get(k + 1))) {
        return true;
      }
    }
    return false;
  }

  /** Whether handler {@code h}'s case falls through into {@code next}'s, written right after it. */
  private static boolean fallsInto(Handler h, Handler next) {
    return h.then() != null && h.then().equals(next.region());
  }

  /** How many state numbers a {@code case} line of the handler table lists at most. */
  private static final int LABELS_PER_LINE = 12;

  /**
   * The {@code catch} of the dispatch loop: the states of protected regions, found by {@code state},
   * run their region's handler code (a jump to the handler's state, the exception stored in a field;
   * or the handler itself, which ends by a jump or, outside every other region, by throwing); an
   * exception thrown in any other state leaves {@code step()}.
   *
   * <pre>{@code
   * } catch (Throwable thrown$) {
   *   switch (state) {
   *     case 6, 7:
   *       // an exception leaves the try: find its catch clause
   *       if (thrown$ instanceof IllegalStateException) {
   *         e = (IllegalStateException) thrown$;
   *         state = 8;
   *         continue dispatch$;
   *       }
   *       // not caught here: falls through into the next case
   *     case 8:
   *       // an exception leaves the try: run the finally block
   *       finallyThrown$4 = thrown$;
   *       state = 9;
   *       continue dispatch$;
   *     default:
   *       throw thrown$;
   *   }
   * }
   * }</pre>
   */
  private static CodeBlock handlerTable(List<Handler> handlers) {
    CodeBlock.Builder b = CodeBlock.builder()
        .add("// An exception in a state of a try: the try's handler.\n")
        .beginControlFlow("switch ($N)", STATE);
    for (int k = 0; k < handlers.size(); k++) {
      Handler h = handlers.get(k);
      List<Integer> states = h.states();
      for (int i = 0; i < states.size(); i += LABELS_PER_LINE) {
        List<String> labels = new java.util.ArrayList<>();
        states.subList(i, Math.min(states.size(), i + LABELS_PER_LINE)).forEach(n -> labels.add(n.toString()));
        b.add("case $L:\n", String.join(", ", labels));
      }
      if (k + 1 < handlers.size() && fallsInto(h, handlers.get(k + 1))) {
        // Its code ends with the next case's: it falls through into that.
        b.indent().add(h.before()).add("// not caught here: falls through into the next case\n").unindent();
      } else {
        b.indent().add(h.onThrow()).unindent();
      }
    }
    b.add("default:\n").indent().addStatement("throw $N", THROWN).unindent();
    return b.endControlFlow().build();
  }

  /**
   * The {@code @SuppressWarnings} of a step method: "fallthrough" if some of its cases fall through
   * into the next, "try" if {@code tryWarnings} (see {@code LoweredBody.hasTryWithResources}); null
   * if neither.
   */
  public static com.palantir.javapoet.AnnotationSpec stepSuppressions(boolean fallsThrough,
      boolean tryWarnings) {
    if (!fallsThrough && !tryWarnings) {
      return null;
    }
    com.palantir.javapoet.AnnotationSpec.Builder b =
        com.palantir.javapoet.AnnotationSpec.builder(SuppressWarnings.class);
    if (fallsThrough) {
      b.addMember("value", "$S", "fallthrough");
    }
    if (tryWarnings) {
      b.addMember("value", "$S", "try");
    }
    return b.build();
  }

  /** The declaration of {@link #OTHER_PART}, which a machine with a split {@code step()} has. */
  public static com.palantir.javapoet.FieldSpec otherPartField() {
    return com.palantir.javapoet.FieldSpec.builder(Object.class, OTHER_PART, Modifier.PRIVATE,
            Modifier.STATIC, Modifier.FINAL)
        .initializer("new $T()", Object.class)
        .build();
  }

  /**
   * The {@code step()} of a machine whose states are too many for one method (the JVM limits a
   * method's code to 64 KB): each part is a method {@code step$k()} holding the cases of a range of
   * states, {@code firsts.get(k)} to the next part's first, in the shape of {@link #step}; a jump to a
   * state of another part leaves it through its {@code default}, which returns {@link #OTHER_PART},
   * and {@code step()} runs the part that holds the new state. The states' code is the same as in one
   * method: a state that declares Java locals is a block of its own (they never reach another state),
   * jumps store the state and continue the dispatch loop, and each part has the handler table of its
   * own protected states.
   *
   * <pre>{@code
   * while (true) {
   *   Object result;
   *   if (state < 0) {
   *     throw illegalState();
   *   } else if (state < 380) {
   *     result = step$0();
   *   } else if (state < 1401) {
   *     result = step$1();
   *   } else {
   *     throw illegalState();
   *   }
   *   if (result != OTHER_PART$) {
   *     return result;                            // a result, or SUSPEND
   *   }
   * }
   * }</pre>
   *
   * @param parts the cases of each part (each from {@link #stateCase})
   * @param awaits whether the cases await (see {@link #step})
   * @param handlers the handler table of each part (see {@link #handlerTable})
   * @param firsts the first state of each part, ascending from 0
   * @param states how many states the machine has (one more than the last state's number)
   * @return {@code step()}, then each part
   */
  public static List<MethodSpec.Builder> splitStep(List<List<CodeBlock>> parts, List<Integer> firsts,
      int states, boolean awaits, List<List<Handler>> handlers) {
    CodeBlock.Builder b = CodeBlock.builder();
    b.add("// $L states in $L parts, each a method under the JVM's limit of 64 KB of code: a part\n",
        states, parts.size());
    b.add("// returns $N when the machine goes on in a state of another part.\n", OTHER_PART);
    b.beginControlFlow("while (true)");
    b.addStatement("$T result", Object.class);
    b.beginControlFlow("if ($N < 0)", STATE).addStatement("throw illegalState()");
    for (int k = 0; k < parts.size(); k++) {
      int end = k + 1 < parts.size() ? firsts.get(k + 1) : states;
      b.nextControlFlow("else if ($N < $L)", STATE, end).addStatement("result = $N()", part(k));
    }
    b.nextControlFlow("else").addStatement("throw illegalState()").endControlFlow();
    b.beginControlFlow("if (result != $N)", OTHER_PART).addStatement("return result").endControlFlow();
    b.endControlFlow();
    List<MethodSpec.Builder> out = new java.util.ArrayList<>();
    out.add(stepSignature().addException(Throwable.class).addCode(b.build()));
    for (int k = 0; k < parts.size(); k++) {
      int last = (k + 1 < parts.size() ? firsts.get(k + 1) : states) - 1;
      out.add(MethodSpec.methodBuilder(part(k))
          .addModifiers(Modifier.PRIVATE)
          .returns(Object.class)
          .addException(Throwable.class)
          .addJavadoc("States $L to $L of {@link #$N()}.\n", firsts.get(k), last, STEP)
          .addCode(dispatch(parts.get(k), CodeBlock.builder().addStatement("return $N", OTHER_PART).build(),
              awaits, handlers.get(k))));
    }
    return out;
  }

  /** The name of part {@code k} of a split {@code step()}. */
  private static String part(int k) {
    return STEP + "$" + k;
  }

  /**
   * The dispatch loop over {@code cases}, running {@code otherwise} for a state none of them has,
   * after the declaration of {@link #AWAITED} if the cases {@code awaits}, inside a {@code try} with
   * the {@code catch} of {@code handlers} if there are any.
   */
  private static CodeBlock dispatch(List<CodeBlock> cases, CodeBlock otherwise, boolean awaits,
      List<Handler> handlers) {
    CodeBlock.Builder b = CodeBlock.builder();
    b.add("$L:\n", DISPATCH);
    b.beginControlFlow("while (true)");
    if (awaits) {
      b.addStatement("$T $N = $N", Object.class, AWAITED, SUSPEND);
    }
    if (!handlers.isEmpty()) {
      b.beginControlFlow("try");
    }
    b.beginControlFlow("switch ($N)", STATE);
    cases.forEach(b::add);
    b.add("default:\n").indent().add(otherwise).unindent();
    b.endControlFlow();
    if (!handlers.isEmpty()) {
      b.nextControlFlow("catch ($T $N)", Throwable.class, THROWN).add(handlerTable(handlers)).endControlFlow();
    }
    b.endControlFlow();
    return b.build();
  }

  /** The {@code step()} of a placeholder machine, for a method that did not compile: it throws. */
  public static MethodSpec failedStep(String message) {
    return stepSignature()
        .addStatement("throw new $T($S)", IllegalStateException.class, message)
        .build();
  }

  private static MethodSpec.Builder stepSignature() {
    return MethodSpec.methodBuilder(STEP)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .returns(Object.class);
  }

  /** The method of {@code Coroutine} a machine overrides to say where it stands in the source. */
  private static final String SOURCE_FRAME = "sourceFrame";

  /**
   * The longest line table a machine writes ({@link #sourceFrame}): a string constant of the class
   * file holds at most 65535 bytes. States past it are shown at the line of the body.
   */
  private static final int MAX_LINE_TABLE = 60_000;

  /**
   * The line {@link #sourceFrame} shows for each state, given the states' own {@code lines} (0: none):
   * the line of the state before it for 0, {@code firstLine} past the end of the table.
   */
  public static long[] shownLines(long firstLine, List<Long> lines) {
    long[] shown = new long[lines.size()];
    java.util.Arrays.fill(shown, firstLine);
    int length = 0;
    long last = firstLine;
    for (int i = 0; i < lines.size(); i++) {
      last = lines.get(i) > 0 ? lines.get(i) : last;
      String next = (length == 0 ? "" : " ") + last;
      if (length + next.length() > MAX_LINE_TABLE) {
        break;
      }
      length += next.length();
      shown[i] = last;
    }
    return shown;
  }

  /**
   * {@code sourceFrame()}: where the machine stands in the user's source, for stack traces, task
   * dumps and {@code Coroutine.toString()}, built by {@code Coroutine} only when one is asked for.
   * {@code lines} holds the source line of each state, in order (0: none of its own, shown at the
   * line of the state before it, or at {@code firstLine}, the line of the body).
   */
  public static MethodSpec sourceFrame(String declaringClass, String method, String file, long firstLine,
      List<Long> lines) {
    StringBuilder table = new StringBuilder();
    long last = firstLine;
    for (long line : lines) {
      last = line > 0 ? line : last;
      String next = (table.length() == 0 ? "" : " ") + last;
      if (table.length() + next.length() > MAX_LINE_TABLE) {
        break;
      }
      table.append(next);
    }
    return MethodSpec.methodBuilder(SOURCE_FRAME)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .returns(StackTraceElement.class)
        .addStatement("return $N($S, $S, $S, $L, $S)", SOURCE_FRAME, declaringClass, method, file, firstLine,
            table.toString())
        .build();
  }
}
