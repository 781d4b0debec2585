package io.awaitj.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * A user type with {@code @Async} methods, and the names of what awaitj generates for it.
 *
 * <p>The naming rule: the generated class is top-level in the user type's package, named after the
 * type's simple names from the outermost down, joined by {@code _}, plus {@code Async}: {@code Crawler}
 * → {@code CrawlerAsync}, {@code Outer.Inner} → {@code Outer_InnerAsync}. Each {@code @Async} method
 * gets a state-machine class named after the generated class and the method, {@code
 * CrawlerAsync_fetchStatus}; overloads after the first add {@code _2}, {@code _3}, … in declaration
 * order, and so does a name that is taken already (by a member type of the user's type or its
 * supertypes, which XAsync inherits, or by another machine). The machines of async lambdas add
 * {@link #LAMBDA} and a number to their method's machine.
 */
public final class AsyncType {
  private final TypeElement element;
  private final ClassName generated;
  private final List<Method> methods;

  /** One {@code @Async} method and the name of its state machine. */
  public record Method(ExecutableElement element, ClassName machine) {
    /** Whether the method is static. */
    public boolean isStatic() {
      return element.getModifiers().contains(Modifier.STATIC);
    }
  }

  /** The type a method's machine produces: {@code T} of its {@code Coroutine<T>}. */
  public static com.palantir.javapoet.TypeName resultType(ExecutableElement m) {
    javax.lang.model.type.TypeMirror r = m.getReturnType();
    if (r instanceof javax.lang.model.type.DeclaredType d && d.getTypeArguments().size() == 1) {
      com.palantir.javapoet.TypeName t = com.palantir.javapoet.TypeName.get(d.getTypeArguments().get(0));
      if (t instanceof com.palantir.javapoet.WildcardTypeName w) {
        return w.upperBounds().isEmpty() ? ClassName.OBJECT : w.upperBounds().get(0);
      }
      return t;
    }
    return ClassName.OBJECT;
  }
  /** The type variables of a method's machine: the type's own (instance methods), then the method's. */
  public List<com.palantir.javapoet.TypeVariableName> machineTypeVariables(Method method) {
    List<com.palantir.javapoet.TypeVariableName> out = new ArrayList<>();
    if (!method.isStatic() && !shadowsTypeVariables(method.element())) {
      for (javax.lang.model.element.TypeParameterElement p : element.getTypeParameters()) {
        out.add(com.palantir.javapoet.TypeVariableName.get(p));
      }
    }
    for (javax.lang.model.element.TypeParameterElement p : method.element().getTypeParameters()) {
      out.add(com.palantir.javapoet.TypeVariableName.get(p));
    }
    return out;
  }

  /**
   * Whether {@code method} declares a type variable named like one of this type's: in its body the
   * type's is hidden, so its machine declares only the method's and holds the user object as {@code
   * X<?>}.
   */
  public boolean shadowsTypeVariables(ExecutableElement method) {
    for (javax.lang.model.element.TypeParameterElement m : method.getTypeParameters()) {
      for (javax.lang.model.element.TypeParameterElement c : element.getTypeParameters()) {
        if (m.getSimpleName().equals(c.getSimpleName())) {
          return true;
        }
      }
    }
    return false;
  }

  private AsyncType(TypeElement element, ClassName generated, List<Method> methods) {
    this.element = element;
    this.generated = generated;
    this.methods = methods;
  }

  /** The model of {@code type}, whose {@code @Async} methods are {@code asyncMethods} (any order). */
  public static AsyncType of(TypeElement type, List<ExecutableElement> asyncMethods) {
    ClassName generated = generatedName(type);
    List<Method> methods = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    // XAsync inherits the type's member types, which would hide a machine of the same name there.
    Set<String> memberTypes = new HashSet<>();
    memberTypeNames(type, memberTypes, new HashSet<>());
    List<String> machines = new ArrayList<>();
    // Declaration order, so names are stable whatever order the round reported the methods in.
    for (Element e : type.getEnclosedElements()) {
      if (e.getKind() == ElementKind.METHOD && asyncMethods.contains(e)) {
        String name = e.getSimpleName().toString();
        String machine;
        do {
          int n = seen.merge(name, 1, Integer::sum);
          machine = generated.simpleName() + "_" + name + (n == 1 ? "" : "_" + n);
        } while (memberTypes.contains(machine) || clashes(machine, machines));
        machines.add(machine);
        methods.add(new Method((ExecutableElement) e, generated.peerClass(machine)));
      }
    }
    return new AsyncType(type, generated, List.copyOf(methods));
  }

  /** The suffix of the machines of async lambdas, numbered from 1, after their method's machine. */
  public static final String LAMBDA = "_lambda";

  /**
   * Whether a machine name is taken by another machine, or by the machine of an async lambda in
   * another method ({@code X_f_lambda1} for {@code f}: a method named {@code f_lambda1} must not take
   * it).
   */
  private static boolean clashes(String machine, List<String> machines) {
    for (String t : machines) {
      if (t.equals(machine) || isLambdaOf(machine, t) || isLambdaOf(t, machine)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLambdaOf(String name, String machine) {
    String prefix = machine + LAMBDA;
    return name.length() > prefix.length() && name.startsWith(prefix)
        && name.substring(prefix.length()).chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The simple names of the member types of {@code type} and of its supertypes. */
  private static void memberTypeNames(TypeElement type, Set<String> names, Set<TypeElement> visited) {
    if (!visited.add(type)) {
      return;
    }
    for (Element e : type.getEnclosedElements()) {
      if (e.getKind().isClass() || e.getKind().isInterface()) {
        names.add(e.getSimpleName().toString());
      }
    }
    List<TypeMirror> supertypes = new ArrayList<>(type.getInterfaces());
    supertypes.add(type.getSuperclass());
    for (TypeMirror s : supertypes) {
      if (s instanceof DeclaredType d && d.asElement() instanceof TypeElement t) {
        memberTypeNames(t, names, visited);
      }
    }
  }

  /** The name of the class generated for {@code type}. */
  public static ClassName generatedName(TypeElement type) {
    StringBuilder simple = new StringBuilder();
    Element e = type;
    while (e.getKind().isClass() || e.getKind().isInterface()) {
      simple.insert(0, simple.length() == 0 ? e.getSimpleName() : e.getSimpleName() + "_");
      e = e.getEnclosingElement();
    }
    String pkg = e instanceof PackageElement p ? p.getQualifiedName().toString() : "";
    return ClassName.get(pkg, simple + MachineContract.SUFFIX);
  }

  /** The user's type {@code X}. */
  public TypeElement element() {
    return element;
  }

  /** The name of the generated {@code XAsync}. */
  public ClassName generated() {
    return generated;
  }

  /** The {@code @Async} methods of the type, in source order. */
  public List<Method> methods() {
    return methods;
  }

  /** Whether any {@code @Async} method is an instance method (then XAsync extends the type). */
  public boolean hasInstanceMethods() {
    return methods.stream().anyMatch(m -> !m.isStatic());
  }

  /** The machine of {@code method}, which must be one of this type's. */
  public ClassName machineOf(ExecutableElement method) {
    for (Method m : methods) {
      if (m.element().equals(method)) {
        return m.machine();
      }
    }
    throw new IllegalArgumentException(method + " is not an @Async method of " + element);
  }
}
