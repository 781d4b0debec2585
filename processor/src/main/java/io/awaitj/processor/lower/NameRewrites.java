package io.awaitj.processor.lower;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.sun.source.tree.AnnotatedTypeTree;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.BindingPatternTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import io.awaitj.processor.analysis.AsyncElements;
import io.awaitj.processor.model.AsyncType;
import io.awaitj.processor.model.MachineContract;
import java.lang.annotation.ElementType;
import java.lang.annotation.Target;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Names in copied code, as the machine class must write them: locals that became fields take their
 * field's name (a captured copy inside lambdas and classes), implicit {@code this} becomes the
 * machine's {@code self}, static members are qualified by their class, types are written with {@code
 * $T} (so imports follow), and calls of static {@code @Async} templates go to their generated class.
 */
final class NameRewrites {
  private final CopyScan scan;
  private final Verbatim.Context context;

  NameRewrites(CopyScan scan) {
    this.scan = scan;
    this.context = scan.context;
  }

  void identifier(IdentifierTree node, TreePath path) {
    String name = node.getName().toString();
    if (name.equals("this")) {
      if (scan.classes().isEmpty()) {
        scan.replace(node, CodeBlock.of("$L", context.self()));
      }
      return;
    }
    if (name.equals("super")) {
      superIdentifier(node, path);
      return;
    }
    Element e = scan.element(path);
    if (e == null) {
      return;
    }
    switch (e.getKind()) {
      case LOCAL_VARIABLE: case PARAMETER: case EXCEPTION_PARAMETER: case RESOURCE_VARIABLE:
      case BINDING_VARIABLE:
        local(node, path, e);
        return;
      case FIELD: case METHOD: case ENUM_CONSTANT:
        member(node, path, e);
        return;
      case CLASS: case INTERFACE: case ENUM: case RECORD: case ANNOTATION_TYPE:
        type(node, path, (TypeElement) e);
        return;
      default:
    }
  }

  private void superIdentifier(IdentifierTree node, TreePath path) {
    if (!scan.classes().isEmpty()) {
      return;
    }
    Tree parent = path.getParentPath().getLeaf();
    Element member = scan.element(path.getParentPath());
    if (parent instanceof MemberSelectTree && member instanceof VariableElement f
        && !f.getModifiers().contains(Modifier.STATIC)) {
      // super.field: the field as the superclass declares it.
      scan.replace(node, CodeBlock.of("(($T) $L)",
          scan.source.types.erasure(f.getEnclosingElement().asType()), context.self()));
    } else if (!(parent instanceof MemberSelectTree)) {
      context.unsupported(node, "'super' can only be used as super.method(...) or super.field in"
          + " an @Async method");
    }
  }

  private void local(IdentifierTree node, TreePath path, Element e) {
    CodeBlock hoisted = context.hoistedCapture(e);
    if (hoisted != null) {
      scan.replace(node, hoisted);
      return;
    }
    String other = scan.renamed.get(e);
    if (other != null) {
      scan.replace(node, CodeBlock.of("$L", other));
      return;
    }
    String field = context.fieldOf(e);
    if (field != null && scan.inNestedBody()) {
      scan.replace(node, CodeBlock.of("$L", context.captured(e, field)));
    } else if (field != null) {
      boolean written = path.getParentPath().getLeaf() instanceof com.sun.source.tree.AssignmentTree a
          && a.getVariable() == node;
      CodeBlock code = written ? CodeBlock.of("$L", field) : context.read(field);
      if (!code.toString().contentEquals(node.getName())) {
        scan.replace(node, code);
      }
    }
  }

  private void type(IdentifierTree node, TreePath path, TypeElement t) {
    if (t.asType().getKind() == TypeKind.ERROR) {
      throw context.erroneous(); // javac reports the unresolved type itself
    }
    if (t.getModifiers().contains(Modifier.PRIVATE)) {
      context.unsupported(node, "private type '" + t.getSimpleName() + "' cannot be used from"
          + " the generated state machine: make it package-private");
      return;
    }
    if (t.getNestingKind() == NestingKind.LOCAL && !context.isMemberLocalClass(t)
        && !context.isDeclaredInBody(t)) {
      context.unsupported(node, LocalClasses.inAsyncLambda(t, context.userType(), ""));
      throw context.erroneous(); // once: the lambda cannot be compiled at all
    }
    String member = scan.source.typeNames.memberName(t);
    if (member != null && !member.contentEquals(t.getSimpleName())) {
      scan.replace(node, CodeBlock.of("$L", member)); // a local class renamed in the machine
      return;
    }
    if (isInMethod(t)) {
      return;
    }
    ClassName name = className(t);
    if (name.enclosingClassName() != null && annotatedNestedType(node, path, name)) {
      return;
    }
    scan.replace(node, CodeBlock.of("$T", name));
  }

  /**
   * A member type written by its simple name after type annotations: {@code @A Color c} or {@code
   * List<@A Color>}, with {@code Color} a member of the user's class. Written qualified, the annotation
   * must follow the qualifier ({@code Outer.@A Color}: javac rejects {@code @A Outer.Color}, "scoping
   * construct cannot be annotated with type-use annotation"). Returns false if no type annotation is
   * written before the name.
   */
  private boolean annotatedNestedType(IdentifierTree node, TreePath path, ClassName name) {
    Tree parent = path.getParentPath().getLeaf();
    if (parent instanceof AnnotatedTypeTree a && a.getUnderlyingType() == node) {
      scan.insertBefore(a, CodeBlock.of("$T.", name.enclosingClassName()));
      return true;
    }
    // In a declaration's modifiers, the annotations that apply to its type only (@Target TYPE_USE,
    // not the declaration's kind) move to the name; the others stay, where they annotate the variable.
    // The type may be the element type of an array or the raw type of a parameterized type.
    TreePath up = path;
    while (up.getParentPath().getLeaf() instanceof ArrayTypeTree at && at.getType() == up.getLeaf()
        || up.getParentPath().getLeaf() instanceof ParameterizedTypeTree pt && pt.getType() == up.getLeaf()) {
      up = up.getParentPath();
    }
    if (!(up.getParentPath().getLeaf() instanceof VariableTree v) || v.getType() != up.getLeaf()) {
      return false;
    }
    ElementType declaration = declarationKind(scan.element(up.getParentPath()));
    CodeBlock.Builder moved = CodeBlock.builder();
    for (AnnotationTree ann : v.getModifiers().getAnnotations()) {
      if (declaration != null && typeUseOnly(scan.element(new TreePath(up.getParentPath(), ann.getAnnotationType())), declaration)) {
        moved.add("$L ", scan.copy(new TreePath(new TreePath(up.getParentPath(), v.getModifiers()), ann)));
        scan.replace(ann, CodeBlock.of(""));
      }
    }
    if (moved.isEmpty()) {
      return false;
    }
    scan.replace(node, CodeBlock.of("$T.$L$L", name.enclosingClassName(), moved.build(), name.simpleName()));
    return true;
  }

  /** The {@code @Target} kind of a variable's declaration, or null for one not handled here. */
  private static ElementType declarationKind(Element variable) {
    if (variable == null) {
      return null;
    }
    return switch (variable.getKind()) {
      case LOCAL_VARIABLE, RESOURCE_VARIABLE, BINDING_VARIABLE -> ElementType.LOCAL_VARIABLE;
      case PARAMETER, EXCEPTION_PARAMETER -> ElementType.PARAMETER;
      case FIELD -> ElementType.FIELD;
      default -> null;
    };
  }

  /** Whether annotation type {@code type} applies to types and not to declarations of {@code kind}. */
  private static boolean typeUseOnly(Element type, ElementType kind) {
    Target target = type == null ? null : type.getAnnotation(Target.class);
    if (target == null) {
      return false; // no @Target: declarations only
    }
    List<ElementType> kinds = List.of(target.value());
    return kinds.contains(ElementType.TYPE_USE) && !kinds.contains(kind);
  }

  /**
   * Whether {@code t} is a local or anonymous class or a member of one: its simple name, as written,
   * means the same in the copy (which keeps the class's scope), and it has no qualified name.
   */
  private static boolean isInMethod(TypeElement t) {
    for (Element e = t; e instanceof TypeElement c; e = c.getEnclosingElement()) {
      if (c.getNestingKind() == NestingKind.LOCAL || c.getNestingKind() == NestingKind.ANONYMOUS) {
        return true;
      }
    }
    return false;
  }

  /**
   * The name of {@code t} for generated code. A type javac's error recovery made up (in a package
   * named {@code <any>}) has none: javac reports the error, and the body is not compiled.
   */
  private ClassName className(TypeElement t) {
    try {
      return ClassName.get(t);
    } catch (IllegalArgumentException erroneous) {
      throw context.erroneous();
    }
  }

  /** A field, method or enum constant named without a qualifier. */
  private void member(IdentifierTree node, TreePath path, Element e) {
    if (e.getEnclosingElement().getKind() == ElementKind.ANNOTATION_TYPE) {
      return; // an annotation's element: @A(value = ...), also where javac added the name itself
    }
    Tree parent = path.getParentPath().getLeaf();
    if (parent instanceof CaseTree c && c.getExpressions().contains(node)
        || parent.getKind().name().equals("CONSTANT_CASE_LABEL")) {
      // Enum constants in case labels stay unqualified. From JDK 21 on, javac wraps each label in a
      // ConstantCaseLabelTree (an API newer than the processor's Java 17).
      return;
    }
    for (TypeElement c : scan.classes()) {
      if (scan.source.elements.getAllMembers(c).contains(e)) {
        return; // a member of a local or anonymous class around the name (or inherited by one)
      }
    }
    if (scan.privates().implicitRead(node, e)) {
      return;
    }
    TypeElement owner = (TypeElement) e.getEnclosingElement();
    if (e.getModifiers().contains(Modifier.PRIVATE)) {
      PrivateRewrites.cannotUse(context, node, e);
      return;
    }
    String name = node.getName().toString();
    if (e.getModifiers().contains(Modifier.STATIC)) {
      ClassName qualifier = AsyncElements.isStaticAsyncMethod(e) ? AsyncType.generatedName(owner) : className(owner);
      scan.replace(node, CodeBlock.of("$T.$L", qualifier, name));
    } else {
      scan.replace(node, CodeBlock.of("$L.$L", context.self(), name));
    }
  }

  /** {@code X.this} and {@code X.super}; false if the tree stays as written (and is scanned). */
  boolean qualifiedThisOrSuper(MemberSelectTree node) {
    if (node.getIdentifier().contentEquals("this")) {
      Element outer = scan.elementOf(node.getExpression());
      if (outer != null && outer.equals(context.userType())) {
        scan.replace(node, CodeBlock.of("$L", context.self()));
        return true;
      }
      return false;
    }
    context.unsupported(node, "'X.super' is supported in @Async methods only as X.super.m(...) with"
        + " X the class itself or an interface it implements directly, outside local and anonymous"
        + " classes");
    return true;
  }

  /** {@code X.m} of a static template: {@code XAsync.m}. */
  boolean staticTemplate(MemberSelectTree node) {
    Element e = scan.element(scan.getCurrentPath());
    if (AsyncElements.isStaticAsyncMethod(e) && isTypeName(node.getExpression())) {
      scan.replace(node.getExpression(),
          CodeBlock.of("$T", AsyncType.generatedName((TypeElement) e.getEnclosingElement())));
      return true;
    }
    return false;
  }

  /**
   * A call of a static template {@code m} that declares checked exceptions, in a {@code try} of the
   * copied code that has {@code catch} clauses: {@code XAsync.m} does not declare them (creating a
   * coroutine throws nothing), but the copied {@code catch (IOException e)} that javac accepted in the
   * template, because {@code m} declares it, must still find it thrown: {@code
   * declaring(XAsync.m(...), IOException.class)} (inherited from Coroutine) declares the template's exceptions again,
   * as javac inferred them for the call (what is left a type variable, by its erasure). The call inside
   * is copied as usual. Returns whether it wrapped the call.
   */
  boolean guardedStaticTemplate(MethodInvocationTree node) {
    Element e = scan.element(scan.getCurrentPath());
    if (scan.wrapping == node || !AsyncElements.isStaticAsyncMethod(e)
        || !guardedByCatch(scan.getCurrentPath())) {
      return false;
    }
    // The types thrown as javac saw the call: a thrown type variable as it was inferred there.
    List<? extends TypeMirror> declared =
        scan.source.trees.getTypeMirror(new TreePath(scan.getCurrentPath(), node.getMethodSelect()))
            instanceof ExecutableType x ? x.getThrownTypes() : ((ExecutableElement) e).getThrownTypes();
    List<CodeBlock> thrown = new java.util.ArrayList<>();
    for (TypeMirror t : declared) {
      if (!isUnchecked(t)) {
        thrown.add(CodeBlock.of("$T.class", TypeName.get(scan.source.types.erasure(t))));
      }
    }
    if (thrown.isEmpty()) {
      return false;
    }
    Tree outer = scan.wrapping;
    scan.wrapping = node;
    CodeBlock call;
    try {
      call = scan.copy(scan.getCurrentPath());
    } finally {
      scan.wrapping = outer;
    }
    CodeBlock.Builder b = CodeBlock.builder();
    for (int i = 0; i < thrown.size(); i++) {
      // Unqualified: the machine inherits it, and 'Coroutine.declaring' would name a local or field
      // called Coroutine where one is in scope.
      b.add("declaring(");
    }
    b.add("$L", call);
    for (CodeBlock t : thrown) {
      b.add(", $L)", t);
    }
    scan.replace(node, b.build());
    return true;
  }

  /**
   * Whether what the tree at {@code path} throws reaches a {@code catch} of a {@code try} copied as it
   * is (one without awaits; a lowered try tests exceptions with {@code instanceof}), in the same lambda,
   * class or method body.
   */
  private boolean guardedByCatch(TreePath path) {
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null; child = p.getLeaf(), p = p.getParentPath()) {
      Tree t = p.getLeaf();
      if (t instanceof LambdaExpressionTree || t instanceof ClassTree || t instanceof MethodTree) {
        return false;
      }
      if (t instanceof TryTree tr && !tr.getCatches().isEmpty()
          && (child == tr.getBlock() || tr.getResources().contains(child))
          && !scan.source.analysis.containsAwait(tr)) {
        return true;
      }
    }
    return false;
  }

  private boolean isUnchecked(TypeMirror t) {
    javax.lang.model.util.Types types = scan.source.types;
    javax.lang.model.util.Elements elements = scan.source.elements;
    return types.isSubtype(t, elements.getTypeElement("java.lang.RuntimeException").asType())
        || types.isSubtype(t, elements.getTypeElement("java.lang.Error").asType());
  }

  /** {@code X::m} of a static template: {@code XAsync::m}. */
  boolean staticTemplateReference(MemberReferenceTree node) {
    Element e = scan.element(scan.getCurrentPath());
    if (AsyncElements.isStaticAsyncMethod(e) && isTypeName(node.getQualifierExpression())) {
      scan.replace(node.getQualifierExpression(),
          CodeBlock.of("$T", AsyncType.generatedName((TypeElement) e.getEnclosingElement())));
      return true;
    }
    return false;
  }

  boolean isTypeName(Tree expression) {
    return scan.elementOf(expression) instanceof TypeElement;
  }

  /**
   * {@code new Inner()} of an inner member class (or {@code new Inner() {...}}, an anonymous class
   * extending one): created on {@code self}, as {@code self.new Inner()}. A qualified creation names
   * the class by its simple name alone (the class is looked up in the qualifier's type): the name is
   * written so, before the scan of the identifier would write it as the machine names a member type
   * ({@code Demo.Inner}, which javac does not parse there).
   */
  void innerClassCreation(NewClassTree node) {
    if (node.getEnclosingExpression() == null && scan.classes().isEmpty()) {
      Tree name = node.getIdentifier() instanceof com.sun.source.tree.ParameterizedTypeTree g
          ? g.getType() : node.getIdentifier();
      Element created = node.getClassBody() == null
          ? enclosing(scan.element(scan.getCurrentPath())) : scan.elementOf(name);
      if (isInnerMemberClass(created)) {
        scan.insertBefore(node, CodeBlock.of("$L.", context.self()));
        if (name instanceof IdentifierTree || name instanceof MemberSelectTree) {
          scan.replace(name, CodeBlock.of("$L", created.getSimpleName()));
        }
      }
    }
  }

  private static Element enclosing(Element e) {
    return e == null ? null : e.getEnclosingElement();
  }

  /** Whether {@code e} is an inner (non-static) member class, which is created on an outer object. */
  static boolean isInnerMemberClass(Element e) {
    return e instanceof TypeElement t && t.getNestingKind() == NestingKind.MEMBER
        && !t.getModifiers().contains(Modifier.STATIC) && t.getKind() == ElementKind.CLASS;
  }

  /** A pattern variable declared under another name ({@code Type name} becomes {@code Type other}). */
  boolean renamedBinding(BindingPatternTree node) {
    Element e = scan.elementOf(node.getVariable());
    String other = e == null ? null : scan.renamed.get(e);
    if (other == null) {
      return false;
    }
    int end = (int) scan.source.trees.getSourcePositions().getEndPosition(scan.source.unit, node.getVariable());
    String name = node.getVariable().getName().toString();
    if (end > 0 && scan.source.text().subSequence(Math.max(0, end - name.length()), end).toString().equals(name)) {
      scan.replaceRange(end - name.length(), end, CodeBlock.of("$L", other));
    }
    return true;
  }

  /** {@code x instanceof T v} where {@code v} became a field: test, then store. */
  boolean boundPattern(InstanceOfTree node) {
    if (node.getPattern() instanceof BindingPatternTree binding) {
      TreePath varPath = new TreePath(new TreePath(scan.getCurrentPath(), binding), binding.getVariable());
      Element var = scan.element(varPath);
      String field = var == null ? null : context.fieldOf(var);
      if (field != null) {
        scan.replace(node, context.bindPattern(scan.copy(new TreePath(scan.getCurrentPath(), node.getExpression())),
            scan.copy(new TreePath(varPath, binding.getVariable().getType())), field));
        return true;
      }
    }
    return false;
  }

  /** {@code try (r)} over a local that became a field: the field is not effectively final, so alias it. */
  void resourceAliases(TryTree node) {
    if (scan.inNestedBody()) {
      return;
    }
    for (Tree r : node.getResources()) {
      if (r instanceof IdentifierTree id) {
        Element e = scan.elementOf(r);
        String field = e == null ? null : context.fieldOf(e);
        if (field != null) {
          // Only the name: javac's end position of a resource that is not the last takes in the ';'.
          int start = (int) scan.source.trees.getSourcePositions().getStartPosition(scan.source.unit, r);
          scan.replaceRange(start, start + id.getName().length(), context.resourceAlias(e, field));
        }
      }
    }
  }
}
