package io.awaitj.processor.lower;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import io.awaitj.processor.analysis.TypeParts;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Access to the private members of the user's class, which the state machine (another class of the
 * same package) cannot name. A nested {@code Access} class looks each member up once, through a
 * private lookup in the user's class ({@link MethodHandles#privateLookupIn}), and offers one plain,
 * typed static method per use: {@code get$f(self)}, {@code set$f(self, v)}, {@code call$m(self, ...)},
 * {@code super$m(self, ...)} ({@code super.m(...)}, through {@code findSpecial}). Being ordinary
 * methods with the member's own types and {@code throws} clause, they work as statements, in
 * lambdas, as method references and as targets of poly expressions. The user keeps members private.
 */
final class PrivateAccess {
  /**
   * The name of the nested class of handles: {@code Access}, unless code of the body can see a variable
   * or a type of that name in a scope of its own, where {@code Access.get$f(self)} would mean it (then
   * {@code Access$}, ...).
   */
  private final String accessName;

  private final Types types;
  private final TypeElement owner;

  /** Member → name of its handle field; in the order first used. */
  private final Map<Element, String> handles = new LinkedHashMap<>();
  private final Map<SuperMethod, String> superHandles = new LinkedHashMap<>();

  /** A method called without virtual dispatch, as implemented for {@code qualifier}. */
  private record SuperMethod(ExecutableElement method, TypeElement qualifier) {}

  /** Fields incremented or decremented as {@code f++} (old value) and as {@code ++f} (new value). */
  private final Set<Element> getAndAdds = new HashSet<>();
  private final Set<Element> addAndGets = new HashSet<>();

  PrivateAccess(Types types, TypeElement owner, java.util.Collection<String> namesTaken) {
    this.types = types;
    this.owner = owner;
    String name = "Access";
    while (namesTaken.contains(name)) {
      name += "$";
    }
    this.accessName = name;
  }

  /**
   * For a call whose method select is at {@code select}: the type whose implementation it calls
   * without virtual dispatch, if it is {@code super.m} (the user type's direct superclass) or {@code
   * X.super.m} (X the user type itself, or one of its direct superinterfaces, for a default method);
   * else null. ({@code X.super.m} with X an enclosing class is not one of these.)
   */
  TypeElement superQualifier(com.sun.source.util.TreePath select, com.sun.source.util.Trees trees) {
    if (!(select.getLeaf() instanceof com.sun.source.tree.MemberSelectTree ms)) {
      return null;
    }
    com.sun.source.tree.Tree qualifier = ms.getExpression();
    TypeElement superclass = owner.getSuperclass().getKind() == TypeKind.DECLARED
        ? (TypeElement) types.asElement(owner.getSuperclass()) : null;
    if (qualifier instanceof com.sun.source.tree.IdentifierTree id && id.getName().contentEquals("super")) {
      return superclass;
    }
    if (qualifier instanceof com.sun.source.tree.MemberSelectTree sup
        && sup.getIdentifier().contentEquals("super")) {
      com.sun.source.util.TreePath x = new com.sun.source.util.TreePath(
          new com.sun.source.util.TreePath(select, qualifier), sup.getExpression());
      Element named = trees.getElement(x);
      if (owner.equals(named)) {
        return superclass;
      }
      for (TypeMirror i : owner.getInterfaces()) {
        if (types.asElement(i) != null && types.asElement(i).equals(named)) {
          return (TypeElement) named;
        }
      }
    }
    return null;
  }

  /** Whether {@code e} is a private field or method of the user's class, which needs a handle. */
  boolean needsHandle(Element e) {
    return e != null
        && e.getModifiers().contains(Modifier.PRIVATE)
        && owner.equals(e.getEnclosingElement())
        && (e instanceof VariableElement || e instanceof ExecutableElement);
  }

  private static boolean isStatic(Element e) {
    return e.getModifiers().contains(Modifier.STATIC);
  }

  /** Names of the parameters and locals of the accessors, which a handle field must not take. */
  private static final java.util.Set<String> ACCESSOR_NAMES =
      java.util.Set.of("self", "value", "delta", "old", "updated", "lookup", "e", "t");

  private String handle(Map<Element, String> map, Element e, String prefix) {
    return map.computeIfAbsent(e, k -> {
      String base = prefix + k.getSimpleName();
      String name = base;
      int n = 2;
      while (handles.containsValue(name) || superHandles.containsValue(name)
          || ACCESSOR_NAMES.contains(name) || name.matches("p\\$[0-9]+")) {
        name = base + "_" + n++;
      }
      return name;
    });
  }

  private static List<CodeBlock> withReceiver(Element member, CodeBlock receiver, List<CodeBlock> args) {
    List<CodeBlock> all = new ArrayList<>();
    if (!isStatic(member)) {
      all.add(receiver);
    }
    all.addAll(args);
    return all;
  }

  /** Reads private field {@code f} of {@code receiver} (ignored when static). */
  CodeBlock read(VariableElement f, CodeBlock receiver) {
    String h = handle(handles, f, "");
    return CodeBlock.of("$L.get$$$L($L)", accessName, h, CodeBlock.join(withReceiver(f, receiver, List.of()), ", "));
  }

  /** Writes private field {@code f} of {@code receiver}: an expression whose value is the value written. */
  CodeBlock write(VariableElement f, CodeBlock receiver, CodeBlock value) {
    String h = handle(handles, f, "");
    return CodeBlock.of("$L.set$$$L($L)", accessName, h,
        CodeBlock.join(withReceiver(f, receiver, List.of(value)), ", "));
  }

  /**
   * The value of {@code f = value} as the argument of {@code f}'s setter. Assignment narrows a
   * constant ({@code char c = 100;}); a method argument does not, so a byte, short or char field (or
   * its box) given a value of another type gets the cast the assignment implies.
   */
  CodeBlock assignable(VariableElement f, TypeMirror valueType, CodeBlock value) {
    TypeKind field = Operators.unboxed(types, f.asType());
    boolean small = field == TypeKind.BYTE || field == TypeKind.SHORT || field == TypeKind.CHAR;
    if (!small || valueType == null || Operators.unboxed(types, valueType) == field) {
      return value;
    }
    return CodeBlock.of("($T) ($L)", TypeName.get(types.getPrimitiveType(field)), value);
  }

  /**
   * {@code f op= rhs} on private field {@code f} of {@code receiver}: read, then {@code rhs}, then write,
   * as Java orders them; {@code narrowTo} is the cast Java's compound assignment implies, or null.
   * {@code receiver} is evaluated twice, so it must be a name whose value {@code rhs} cannot change.
   */
  CodeBlock update(VariableElement f, CodeBlock receiver, String op, CodeBlock rhs, TypeName narrowTo) {
    CodeBlock combined = CodeBlock.of("$L $L $L", read(f, receiver), op, rhs);
    if (narrowTo != null) {
      combined = CodeBlock.of("($T) ($L)", narrowTo, combined);
    }
    return write(f, receiver, combined);
  }

  /**
   * Why {@link #increment} cannot update field {@code f} (its type is not numeric, primitive or
   * boxed), or null if it can.
   */
  String cannotIncrement(VariableElement f) {
    TypeKind k = Operators.unboxed(types, f.asType());
    return k != null && k != TypeKind.BOOLEAN ? null : "incrementing private field '"
        + f.getSimpleName() + "' of type " + f.asType() + " is not supported in an @Async method:"
        + " make the field package-private";
  }

  /**
   * {@code f++}, {@code ++f}, {@code f--} or {@code --f} on private field {@code f} of {@code receiver}
   * (evaluated once), through an accessor that returns the old or the new value.
   */
  CodeBlock increment(VariableElement f, CodeBlock receiver, boolean decrement, boolean postfix) {
    String h = handle(handles, f, "");
    String accessor = (postfix ? "getAndAdd$" : "addAndGet$") + h;
    (postfix ? getAndAdds : addAndGets).add(f);
    return CodeBlock.of("$L.$L($L)", accessName, accessor,
        CodeBlock.join(withReceiver(f, receiver, List.of(CodeBlock.of(decrement ? "-1" : "1"))), ", "));
  }

  /** Calls private method {@code m} on {@code receiver} (ignored when static). */
  CodeBlock call(ExecutableElement m, CodeBlock receiver, List<CodeBlock> args) {
    String h = handle(handles, m, "");
    return CodeBlock.of("$L.call$$$L($L)", accessName, h, CodeBlock.join(withReceiver(m, receiver, args), ", "));
  }

  /**
   * A method reference to private method {@code m}: {@code Access::call$m} when nothing is bound (a
   * static method, or {@code Type::m} taking the receiver first); else a lambda calling it on {@code
   * receiver}, which must be a name whose value cannot change ({@code self}).
   */
  CodeBlock reference(ExecutableElement m, CodeBlock boundReceiver) {
    String h = handle(handles, m, "");
    if (boundReceiver == null) {
      return CodeBlock.of("$L::call$$$L", accessName, h);
    }
    List<String> params = new ArrayList<>();
    for (int i = 0; i < m.getParameters().size(); i++) {
      params.add("a$" + i);
    }
    List<CodeBlock> args = new ArrayList<>();
    args.add(boundReceiver);
    params.forEach(p -> args.add(CodeBlock.of("$L", p)));
    return CodeBlock.of("($L) -> $L.call$$$L($L)", String.join(", ", params), accessName, h, CodeBlock.join(args, ", "));
  }

  /**
   * Calls the implementation of {@code m} that {@code qualifier} (the direct superclass, for {@code
   * super.m(args)}, or a direct superinterface, for {@code I.super.m(args)}) has, on {@code self},
   * through a handle found with {@code findSpecial}, which invokes it without virtual dispatch.
   */
  CodeBlock superCall(ExecutableElement m, TypeElement qualifier, CodeBlock self, List<CodeBlock> args) {
    String h = superHandles.computeIfAbsent(new SuperMethod(m, qualifier), k -> {
      String base = "super_" + m.getSimpleName();
      String name = base;
      int n = 2;
      while (handles.containsValue(name) || superHandles.containsValue(name)) {
        name = base + "_" + n++;
      }
      return name;
    });
    List<CodeBlock> all = new ArrayList<>();
    all.add(self);
    all.addAll(args);
    return CodeBlock.of("$L.$L($L)", accessName, h, CodeBlock.join(all, ", "));
  }

  /**
   * Whether a member the body uses has a type javac could not resolve (a missing import): no handle
   * can name it, and javac reports the error in the source.
   */
  boolean usesErroneousTypes() {
    List<Element> members = new ArrayList<>(handles.keySet());
    superHandles.keySet().forEach(s -> members.add(s.method()));
    for (Element member : members) {
      List<TypeMirror> types = new ArrayList<>();
      if (member instanceof ExecutableElement m) {
        types.add(m.getReturnType());
        m.getParameters().forEach(p -> types.add(p.asType()));
        types.addAll(m.getThrownTypes());
      } else {
        types.add(member.asType());
      }
      for (TypeMirror t : types) {
        if (TypeParts.isErroneous(t)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The nested class holding the handles and accessors, or {@code null} if none is needed. */
  TypeSpec accessClass() {
    if (handles.isEmpty() && superHandles.isEmpty()) {
      return null;
    }
    TypeName ownerType = TypeName.get(types.erasure(owner.asType()));
    TypeSpec.Builder b = TypeSpec.classBuilder(accessName)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Handles on the private members of {@code $L} that the body uses, and typed"
            + " accessors.\n", owner.getSimpleName());
    CodeBlock.Builder init = CodeBlock.builder().beginControlFlow("try");
    init.addStatement("$T lookup = $T.privateLookupIn($T.class, $T.lookup())",
        MethodHandles.Lookup.class, MethodHandles.class, ownerType, MethodHandles.class);
    for (Map.Entry<Element, String> e : handles.entrySet()) {
      Element member = e.getKey();
      String name = e.getValue();
      if (member instanceof VariableElement f) {
        b.addField(FieldSpec.builder(VarHandle.class, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).build());
        init.addStatement("$L = lookup.$L($T.class, $S, $T.class)", name,
            isStatic(f) ? "findStaticVarHandle" : "findVarHandle", ownerType, f.getSimpleName(),
            TypeName.get(types.erasure(f.asType())));
        b.addMethod(getter(f, name));
        b.addMethod(setter(f, name));
        if (addAndGets.contains(f)) {
          b.addMethod(adder(f, name, false));
        }
        if (getAndAdds.contains(f)) {
          b.addMethod(adder(f, name, true));
        }
      } else {
        ExecutableElement m = (ExecutableElement) member;
        b.addField(FieldSpec.builder(MethodHandle.class, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).build());
        init.addStatement("$L = lookup.$L($T.class, $S, $L)", name,
            isStatic(m) ? "findStatic" : "findVirtual", ownerType, m.getSimpleName(), methodType(m));
        b.addMethod(invoker(m, "call$" + name, name, !isStatic(m)));
      }
    }
    for (Map.Entry<SuperMethod, String> e : superHandles.entrySet()) {
      ExecutableElement m = e.getKey().method();
      String name = e.getValue() + "$handle";
      b.addField(FieldSpec.builder(MethodHandle.class, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).build());
      init.addStatement("$L = lookup.findSpecial($T.class, $S, $L, $T.class)", name,
          TypeName.get(types.erasure(e.getKey().qualifier().asType())), m.getSimpleName(),
          methodType(m), ownerType);
      b.addMethod(invoker(m, e.getValue(), name, true));
    }
    init.nextControlFlow("catch ($T e)", ReflectiveOperationException.class)
        .addStatement("throw new $T(e)", ExceptionInInitializerError.class)
        .endControlFlow();
    b.addStaticBlock(init.build());
    b.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    b.addMethod(MethodSpec.methodBuilder("sneaky")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addTypeVariable(TypeVariableName.get("E", Throwable.class))
        .addAnnotation(unchecked())
        .returns(RuntimeException.class)
        .addParameter(Throwable.class, "t")
        .addException(TypeVariableName.get("E"))
        .addJavadoc("Rethrows what the member threw, as it is: the accessor declares the member's own"
            + " exceptions.\n")
        .addStatement("throw (E) t")
        .build());
    return b.build();
  }

  /** The type variables an accessor of {@code member} needs: the owner's (instance members), its own. */
  private List<TypeVariableName> typeVariables(Element member) {
    List<TypeVariableName> out = new ArrayList<>();
    if (!isStatic(member)) {
      for (TypeParameterElement p : owner.getTypeParameters()) {
        out.add(TypeVariableName.get(p));
      }
    }
    if (member instanceof ExecutableElement m) {
      for (TypeParameterElement p : m.getTypeParameters()) {
        out.add(TypeVariableName.get(p));
      }
    }
    return out;
  }

  private static AnnotationSpec unchecked() {
    return AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "unchecked").build();
  }

  private MethodSpec.Builder accessor(Element member, String name, boolean withSelf) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.STATIC)
        .addTypeVariables(typeVariables(member));
    if (withSelf) {
      m.addParameter(TypeName.get(owner.asType()), "self");
    }
    return m;
  }

  private MethodSpec getter(VariableElement f, String handle) {
    TypeName type = TypeName.get(f.asType());
    return accessor(f, "get$" + handle, !isStatic(f))
        .returns(type)
        .addAnnotation(unchecked())
        .addStatement("return ($T) $L.get($L)", type, handle, isStatic(f) ? "" : "self")
        .build();
  }

  private MethodSpec setter(VariableElement f, String handle) {
    TypeName type = TypeName.get(f.asType());
    return accessor(f, "set$" + handle, !isStatic(f))
        .returns(type)
        .addParameter(type, "value")
        .addStatement("$L.set($L)", handle, isStatic(f) ? "value" : "self, value")
        .addStatement("return value")
        .build();
  }

  /**
   * {@code getAndAdd$f(self, delta)} ({@code f++}, {@code f--}: returns the old value) or {@code
   * addAndGet$f(self, delta)} ({@code ++f}, {@code --f}: the new one). A byte, short or char (or its
   * box) is narrowed back, as Java's increment does.
   */
  private MethodSpec adder(VariableElement f, String handle, boolean returnOld) {
    TypeName type = TypeName.get(f.asType());
    TypeKind kind = Operators.unboxed(types, f.asType());
    boolean narrow = kind == TypeKind.BYTE || kind == TypeKind.SHORT || kind == TypeKind.CHAR;
    String self = isStatic(f) ? "" : "self, ";
    MethodSpec.Builder b = accessor(f, (returnOld ? "getAndAdd$" : "addAndGet$") + handle, !isStatic(f))
        .returns(type)
        .addParameter(TypeName.INT, "delta")
        .addStatement("$T old = get$$$L($L)", type, handle, isStatic(f) ? "" : "self");
    if (narrow) {
      b.addStatement("$T updated = ($T) (old + delta)", type, TypeName.get(types.getPrimitiveType(kind)));
    } else {
      b.addStatement("$T updated = old + delta", type);
    }
    return b.addStatement("set$$$L($Lupdated)", handle, self)
        .addStatement("return $L", returnOld ? "old" : "updated")
        .build();
  }

  /** {@code static R name(Owner self, P... params) throws X}, invoking {@code handle}. */
  private MethodSpec invoker(ExecutableElement m, String name, String handle, boolean withSelf) {
    MethodSpec.Builder b = accessor(m, name, withSelf);
    List<String> args = new ArrayList<>();
    if (withSelf) {
      args.add("self");
    }
    for (VariableElement p : m.getParameters()) {
      String pn = "p$" + args.size();
      b.addParameter(ParameterSpec.builder(TypeName.get(p.asType()), pn).build());
      args.add(pn);
    }
    b.varargs(m.isVarArgs());
    for (TypeMirror t : m.getThrownTypes()) {
      b.addException(TypeName.get(t));
    }
    boolean isVoid = m.getReturnType().getKind() == TypeKind.VOID;
    if (!isVoid) {
      b.returns(TypeName.get(m.getReturnType())).addAnnotation(unchecked());
    }
    b.beginControlFlow("try");
    if (isVoid) {
      b.addStatement("$L.invoke($L)", handle, String.join(", ", args));
    } else {
      b.addStatement("return ($T) $L.invoke($L)", TypeName.get(m.getReturnType()), handle, String.join(", ", args));
    }
    b.nextControlFlow("catch ($T t)", Throwable.class)
        .addStatement("throw $L.<$T>sneaky(t)", accessName, RuntimeException.class)
        .endControlFlow();
    return b.build();
  }

  private CodeBlock methodType(ExecutableElement m) {
    List<CodeBlock> params = new ArrayList<>();
    params.add(CodeBlock.of("$T.class", TypeName.get(types.erasure(m.getReturnType()))));
    for (VariableElement p : m.getParameters()) {
      params.add(CodeBlock.of("$T.class", TypeName.get(types.erasure(p.asType()))));
    }
    return CodeBlock.of("$T.methodType($L)", MethodType.class, CodeBlock.join(params, ", "));
  }
}
