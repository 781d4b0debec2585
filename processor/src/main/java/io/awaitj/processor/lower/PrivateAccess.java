package io.awaitj.processor.lower;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Types;

/**
 * Access to the private members of the user's class, which the state machine (another class of the
 * same package) cannot name: a nested {@code Access} class looks each member up once, through a
 * private lookup in the user's class ({@link MethodHandles#privateLookupIn}), and the machine reads,
 * writes and calls through the handles. The user keeps their members private.
 */
final class PrivateAccess {
  private static final String ACCESS = "Access";

  private final Types types;
  private final TypeElement owner;
  private final Map<Element, String> handles = new LinkedHashMap<>();
  private final Map<Element, String> superHandles = new LinkedHashMap<>();

  PrivateAccess(Types types, TypeElement owner) {
    this.types = types;
    this.owner = owner;
  }

  /** Whether {@code e} is a private member of the user's class, which needs a handle. */
  boolean needsHandle(Element e) {
    return e != null
        && e.getModifiers().contains(Modifier.PRIVATE)
        && owner.equals(e.getEnclosingElement())
        && (e instanceof VariableElement || e instanceof ExecutableElement);
  }

  boolean isUsed() {
    return !handles.isEmpty() || !superHandles.isEmpty();
  }

  /**
   * Calls the superclass implementation of {@code m} on {@code self} ({@code super.m(args)}), through
   * a handle found with {@code findSpecial}, which invokes it without virtual dispatch.
   */
  CodeBlock superCall(ExecutableElement m, CodeBlock self, List<CodeBlock> args) {
    String h = superHandles.computeIfAbsent(m, k -> {
      String name = "super_" + k.getSimpleName();
      int n = 2;
      while (superHandles.containsValue(name) || handles.containsValue(name)) {
        name = "super_" + k.getSimpleName() + "_" + n++;
      }
      return name;
    });
    List<CodeBlock> all = new ArrayList<>();
    all.add(self);
    all.addAll(args);
    CodeBlock invoke = CodeBlock.of("$L.$L.invoke($L)", ACCESS, h, CodeBlock.join(all, ", "));
    if (m.getReturnType().getKind() == TypeKind.VOID) {
      return invoke;
    }
    return CodeBlock.of("(($T) $L)", TypeName.get(m.getReturnType()), invoke);
  }

  private String handle(Element e) {
    return handles.computeIfAbsent(e, k -> {
      String base = k.getSimpleName().toString();
      String name = base;
      int n = 2;
      while (handles.containsValue(name)) {
        name = base + "_" + n++;
      }
      return name;
    });
  }

  private static boolean isStatic(Element e) {
    return e.getModifiers().contains(Modifier.STATIC);
  }

  /** Reads private field {@code f} of {@code receiver} (ignored when static). */
  CodeBlock read(VariableElement f, CodeBlock receiver) {
    TypeName type = TypeName.get(f.asType());
    String h = handle(f);
    return isStatic(f)
        ? CodeBlock.of("(($T) $L.$L.get())", type, ACCESS, h)
        : CodeBlock.of("(($T) $L.$L.get($L))", type, ACCESS, h, receiver);
  }

  /** Writes private field {@code f} of {@code receiver}; an expression of type void. */
  CodeBlock write(VariableElement f, CodeBlock receiver, CodeBlock value) {
    String h = handle(f);
    return isStatic(f)
        ? CodeBlock.of("$L.$L.set($L)", ACCESS, h, value)
        : CodeBlock.of("$L.$L.set($L, $L)", ACCESS, h, receiver, value);
  }

  /** Calls private method {@code m} on {@code receiver} (ignored when static). */
  CodeBlock call(ExecutableElement m, CodeBlock receiver, List<CodeBlock> args) {
    String h = handle(m);
    List<CodeBlock> all = new ArrayList<>();
    if (!isStatic(m)) {
      all.add(receiver);
    }
    // invoke (not invokeExact) adapts the arguments as a call would: no casts needed.
    all.addAll(args);
    CodeBlock invoke = CodeBlock.of("$L.$L.invoke($L)", ACCESS, h, CodeBlock.join(all, ", "));
    if (m.getReturnType().getKind() == TypeKind.VOID) {
      return invoke;
    }
    return CodeBlock.of("(($T) $L)", TypeName.get(m.getReturnType()), invoke);
  }

  private CodeBlock methodType(ExecutableElement m) {
    List<CodeBlock> params = new ArrayList<>();
    params.add(CodeBlock.of("$T.class", TypeName.get(types.erasure(m.getReturnType()))));
    for (VariableElement p : m.getParameters()) {
      params.add(CodeBlock.of("$T.class", TypeName.get(types.erasure(p.asType()))));
    }
    return CodeBlock.of("$T.methodType($L)", MethodType.class, CodeBlock.join(params, ", "));
  }

  /** The nested class holding the handles, or {@code null} if none is needed. */
  TypeSpec accessClass() {
    if (!isUsed()) {
      return null;
    }
    TypeName ownerType = TypeName.get(types.erasure(owner.asType()));
    TypeSpec.Builder b = TypeSpec.classBuilder("Access")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Handles on the private members of {@code $L} that the body uses.\n", owner.getSimpleName());
    CodeBlock.Builder init = CodeBlock.builder().beginControlFlow("try");
    init.addStatement("$T lookup = $T.privateLookupIn($T.class, $T.lookup())",
        MethodHandles.Lookup.class, MethodHandles.class, ownerType, MethodHandles.class);
    for (Map.Entry<Element, String> e : handles.entrySet()) {
      Element member = e.getKey();
      String name = e.getValue();
      if (member instanceof VariableElement f) {
        b.addField(FieldSpec.builder(VarHandle.class, name, Modifier.STATIC, Modifier.FINAL).build());
        init.addStatement("$L = lookup.$L($T.class, $S, $T.class)", name,
            isStatic(f) ? "findStaticVarHandle" : "findVarHandle", ownerType, f.getSimpleName(),
            TypeName.get(types.erasure(f.asType())));
      } else {
        ExecutableElement m = (ExecutableElement) member;
        b.addField(FieldSpec.builder(MethodHandle.class, name, Modifier.STATIC, Modifier.FINAL).build());
        init.addStatement("$L = lookup.$L($T.class, $S, $L)", name,
            isStatic(m) ? "findStatic" : "findVirtual", ownerType, m.getSimpleName(), methodType(m));
      }
    }
    for (Map.Entry<Element, String> e : superHandles.entrySet()) {
      ExecutableElement m = (ExecutableElement) e.getKey();
      b.addField(FieldSpec.builder(MethodHandle.class, e.getValue(), Modifier.STATIC, Modifier.FINAL).build());
      init.addStatement("$L = lookup.findSpecial($T.class, $S, $L, $T.class)", e.getValue(),
          TypeName.get(types.erasure(m.getEnclosingElement().asType())), m.getSimpleName(),
          methodType(m), ownerType);
    }
    init.nextControlFlow("catch ($T e)", ReflectiveOperationException.class)
        .addStatement("throw new $T(e)", ExceptionInInitializerError.class)
        .endControlFlow();
    b.addStaticBlock(init.build());
    b.addMethod(com.palantir.javapoet.MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    return b.build();
  }
}
