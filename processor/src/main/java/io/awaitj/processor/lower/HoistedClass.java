package io.awaitj.processor.lower;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * The member type a hoisted local class becomes (see {@link LocalClasses}), built as a JavaPoet type:
 * its header and the signatures of its members from javac's elements (so every type is written as
 * the machine must name it), its code (method and initializer bodies, field initializers, enum
 * constant arguments, annotation values) copied by {@link Verbatim}, always scanning from the hoisted
 * class so that names inside keep the class's own scope.
 *
 * <p>JavaPoet writes a type's members grouped (fields, initializer blocks, constructors, methods,
 * types). Only one regrouping could change what a program computes: a field initialized after an
 * initializer block of the same kind (static or not) would then be initialized before it. Such
 * initializers become assignments in the initializer blocks, in the source's order; constants keep
 * theirs (javac inlines them, whatever the order).
 */
final class HoistedClass {
  private final Source source;
  private final Verbatim verbatim;
  /** The hoisted class: every copy scans from it. */
  private final TreePath root;

  private HoistedClass(Source source, Verbatim verbatim, TreePath root) {
    this.source = source;
    this.verbatim = verbatim;
    this.root = root;
  }

  /** The member type for the local class declared at {@code path}. */
  static TypeSpec of(Source source, Verbatim verbatim, TreePath path, String name) {
    return new HoistedClass(source, verbatim, path).type(path, name, Set.of());
  }

  /**
   * The type declared at {@code path}, named {@code name} (its own, but for a hoisted class the machine
   * renames); {@code implicit} are the modifiers its container implies.
   */
  private TypeSpec type(TreePath path, String name, Set<Modifier> implicit) {
    ClassTree c = (ClassTree) path.getLeaf();
    TypeElement e = (TypeElement) source.trees.getElement(path);
    if (e == null) {
      throw source.erroneous(); // javac entered no class for it (a duplicate): it reports the error
    }
    TypeSpec.Builder b;
    switch (c.getKind()) {
      case INTERFACE:
        b = TypeSpec.interfaceBuilder(name);
        break;
      case ENUM:
        b = TypeSpec.enumBuilder(name);
        break;
      case RECORD:
        b = TypeSpec.recordBuilder(name);
        b.recordConstructor(recordComponents(path, c, e));
        break;
      case CLASS:
        b = TypeSpec.classBuilder(name);
        if (e.getSuperclass().getKind() == TypeKind.DECLARED
            && !((TypeElement) source.types.asElement(e.getSuperclass())).getQualifiedName()
                .contentEquals("java.lang.Object")) {
          b.superclass(type(e.getSuperclass(), c));
        }
        break;
      default:
        throw source.abort(c, "a local " + c.getKind().toString().toLowerCase(java.util.Locale.ROOT)
            + " cannot be moved into the state machine; move it to a member of "
            + source.userType.getSimpleName());
    }
    javadoc(path).ifPresent(b::addJavadoc);
    b.addAnnotations(annotations(new TreePath(path, c.getModifiers())));
    b.addModifiers(modifiers(c.getModifiers(), e, implicit).toArray(new Modifier[0]));
    for (TypeParameterElement p : e.getTypeParameters()) {
      b.addTypeVariable(typeVariable(p, c));
    }
    for (TypeMirror i : e.getInterfaces()) {
      b.addSuperinterface(type(i, c));
    }
    for (Tree p : c.getPermitsClause()) {
      b.addPermittedSubclass(type(source.trees.getTypeMirror(new TreePath(path, p)), p));
    }
    members(b, path, c, e.getKind() == ElementKind.INTERFACE);
    return b.build();
  }

  /** Adds the members of the class at {@code path} (a named class or an enum constant's body). */
  private void members(TypeSpec.Builder b, TreePath path, ClassTree c, boolean inInterface) {
    Set<Modifier> implicitOfTypes = inInterface ? EnumSet.of(Modifier.PUBLIC, Modifier.STATIC) : Set.of();
    boolean isRecord = c.getKind() == Tree.Kind.RECORD;
    Initializers instance = new Initializers();
    Initializers statics = new Initializers();
    for (Tree m : c.getMembers()) {
      TreePath at = new TreePath(path, m);
      if (!isWritten(m)) {
        continue; // made up by javac: a default constructor, a record's accessors
      }
      Element e = source.trees.getElement(at);
      if (m instanceof VariableTree v) {
        VariableElement field = (VariableElement) e;
        if (field.getKind() == ElementKind.ENUM_CONSTANT) {
          b.addEnumConstant(v.getName().toString(), enumConstant(at, v));
        } else if (!(isRecord && !field.getModifiers().contains(Modifier.STATIC))) { // not a component
          Initializers kind = field.getModifiers().contains(Modifier.STATIC) ? statics : instance;
          b.addField(field(at, v, field, inInterface, kind));
        }
      } else if (m instanceof MethodTree method) {
        b.addMethod(method(at, method, (ExecutableElement) e, inInterface));
      } else if (m instanceof ClassTree nested) {
        b.addType(type(at, nested.getSimpleName().toString(), implicitOfTypes));
      } else if (m instanceof BlockTree block) {
        (block.isStatic() ? statics : instance).block(copyContents(block));
      } else {
        throw source.abort(m, "this member of a local class cannot be moved into the state machine;"
            + " move the class to a member of " + source.userType.getSimpleName());
      }
    }
    for (CodeBlock block : statics.blocks) {
      b.addStaticBlock(block);
    }
    for (CodeBlock block : instance.blocks) {
      b.addInitializerBlock(block);
    }
  }

  /**
   * The initializer blocks of one kind (static or not), in source order; once the first is seen,
   * later field initializers of that kind join them as assignments.
   */
  private static final class Initializers {
    final List<CodeBlock> blocks = new ArrayList<>();
    /** Whether the last block holds moved field initializers (the next one joins it). */
    private boolean lastIsAssignments;

    void block(CodeBlock code) {
      blocks.add(code);
      lastIsAssignments = false;
    }

    void assignment(CodeBlock code) {
      if (lastIsAssignments) {
        blocks.set(blocks.size() - 1, blocks.get(blocks.size() - 1).toBuilder().add(code).build());
      } else {
        blocks.add(code);
        lastIsAssignments = true;
      }
    }

    boolean started() {
      return !blocks.isEmpty();
    }
  }

  private FieldSpec field(TreePath at, VariableTree v, VariableElement field, boolean inInterface,
      Initializers initializers) {
    TypeName type = type(field.asType(), v);
    String name = v.getName().toString();
    FieldSpec.Builder f = FieldSpec.builder(type, name)
        .addModifiers(modifiers(v.getModifiers(), field, inInterface ? IMPLIED_BY_INTERFACE : Set.of())
            .toArray(new Modifier[0]))
        .addAnnotations(annotations(new TreePath(at, v.getModifiers())));
    javadoc(at).ifPresent(f::addJavadoc);
    ExpressionTree init = v.getInitializer();
    if (init != null) {
      CodeBlock value = copy(init);
      if (init instanceof NewArrayTree a && a.getType() == null) {
        value = CodeBlock.of("new $T $L", type, value); // an array initializer, as an expression
      }
      if (initializers.started() && field.getConstantValue() == null) {
        initializers.assignment(CodeBlock.of("$L = $L;\n", name, value));
      } else {
        f.initializer(value);
      }
    }
    return f.build();
  }

  private TypeSpec enumConstant(TreePath at, VariableTree v) {
    NewClassTree creation = (NewClassTree) v.getInitializer();
    List<CodeBlock> arguments = new ArrayList<>();
    for (ExpressionTree a : creation.getArguments()) {
      arguments.add(copy(a));
    }
    TypeSpec.Builder b = TypeSpec.anonymousClassBuilder(CodeBlock.join(arguments, ", "));
    javadoc(at).ifPresent(b::addJavadoc);
    b.addAnnotations(annotations(new TreePath(at, v.getModifiers())));
    ClassTree body = creation.getClassBody();
    if (body != null) {
      members(b, new TreePath(new TreePath(at, creation), body), body, false);
    }
    return b.build();
  }

  private MethodSpec method(TreePath at, MethodTree m, ExecutableElement e, boolean inInterface) {
    MethodSpec.Builder b = e.getKind() == ElementKind.CONSTRUCTOR ? MethodSpec.constructorBuilder()
        : MethodSpec.methodBuilder(m.getName().toString()).returns(type(e.getReturnType(), m));
    javadoc(at).ifPresent(b::addJavadoc);
    b.addAnnotations(annotations(new TreePath(at, m.getModifiers())));
    b.addModifiers(modifiers(m.getModifiers(), e, inInterface ? IMPLIED_BY_INTERFACE : Set.of())
        .toArray(new Modifier[0]));
    for (TypeParameterElement p : e.getTypeParameters()) {
      b.addTypeVariable(typeVariable(p, m));
    }
    for (int i = 0; i < m.getParameters().size(); i++) {
      VariableTree p = m.getParameters().get(i);
      b.addParameter(ParameterSpec.builder(type(e.getParameters().get(i).asType(), p), p.getName().toString())
          .addModifiers(p.getModifiers().getFlags().toArray(new Modifier[0]))
          .addAnnotations(annotations(new TreePath(new TreePath(at, p), p.getModifiers())))
          .build());
    }
    b.varargs(e.isVarArgs());
    for (TypeMirror t : e.getThrownTypes()) {
      b.addException(type(t, m));
    }
    if (m.getBody() != null) {
      b.addCode(copyContents(m.getBody()));
    }
    return b.build();
  }

  /** A record's header: its components, with their annotations. */
  private MethodSpec recordComponents(TreePath path, ClassTree c, TypeElement record) {
    MethodSpec.Builder header = MethodSpec.constructorBuilder();
    for (Tree m : c.getMembers()) {
      if (m instanceof VariableTree v && source.trees.getElement(new TreePath(path, m)) instanceof VariableElement f
          && f.getKind() == ElementKind.FIELD && !f.getModifiers().contains(Modifier.STATIC)) {
        header.addParameter(ParameterSpec.builder(type(f.asType(), v), v.getName().toString())
            .addAnnotations(annotations(new TreePath(new TreePath(path, m), v.getModifiers())))
            .build());
      }
    }
    for (Element e : record.getEnclosedElements()) {
      if (e instanceof ExecutableElement ctor && e.getKind() == ElementKind.CONSTRUCTOR
          && ctor.isVarArgs() && ctor.getParameters().size() == header.build().parameters().size()) {
        header.varargs(true); // only the canonical constructor can have as many (records have no fields)
      }
    }
    return header.build();
  }

  // ---------------------------------------------------------------------------------------------
  // Parts of declarations.

  /**
   * The modifiers as written; inside an interface, also those it implies (which JavaPoet asks for,
   * and leaves out when it writes the member).
   */
  private static Set<Modifier> modifiers(ModifiersTree written, Element e, Set<Modifier> implicit) {
    Set<Modifier> out = written.getFlags().isEmpty() ? EnumSet.noneOf(Modifier.class)
        : EnumSet.copyOf(written.getFlags());
    for (Modifier m : implicit) {
      if (e.getModifiers().contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  /** The modifiers an interface may imply for its fields and methods (javac gives each its own). */
  private static final Set<Modifier> IMPLIED_BY_INTERFACE = EnumSet.of(Modifier.PUBLIC, Modifier.PRIVATE,
      Modifier.STATIC, Modifier.FINAL, Modifier.ABSTRACT, Modifier.DEFAULT);

  private List<AnnotationSpec> annotations(TreePath modifiers) {
    List<AnnotationSpec> out = new ArrayList<>();
    for (AnnotationTree a : ((ModifiersTree) modifiers.getLeaf()).getAnnotations()) {
      TreePath at = new TreePath(modifiers, a);
      TypeMirror t = source.trees.getTypeMirror(new TreePath(at, a.getAnnotationType()));
      AnnotationSpec.Builder b = AnnotationSpec.builder((ClassName) type(t, a));
      for (ExpressionTree argument : a.getArguments()) {
        if (argument instanceof AssignmentTree assign && assign.getVariable() instanceof IdentifierTree id) {
          b.addMember(id.getName().toString(), copy(assign.getExpression()));
        } else {
          b.addMember("value", copy(argument));
        }
      }
      out.add(b.build());
    }
    return out;
  }

  private TypeVariableName typeVariable(TypeParameterElement p, Tree at) {
    List<TypeName> bounds = new ArrayList<>();
    for (TypeMirror bound : p.getBounds()) {
      TypeName n = type(bound, at);
      if (!n.equals(ClassName.OBJECT)) {
        bounds.add(n);
      }
    }
    return TypeVariableName.get(p.getSimpleName().toString(), bounds.toArray(new TypeName[0]));
  }

  private java.util.Optional<CodeBlock> javadoc(TreePath path) {
    String doc = source.trees.getDocComment(path);
    return doc == null || doc.isBlank() ? java.util.Optional.empty()
        : java.util.Optional.of(CodeBlock.of("$L\n", doc.strip()));
  }

  /** How the machine writes type {@code t}, which the user wrote at {@code at}. */
  private TypeName type(TypeMirror t, Tree at) {
    if (t == null || t.getKind() == TypeKind.ERROR) {
      throw source.erroneous(); // javac reports the error in the source
    }
    TypeName n = source.typeNames.denotable(t);
    if (n == null) {
      throw source.abort(at, "the type " + t + " cannot be written in the state machine this local class"
          + " moves to; move the class to a member of " + source.userType.getSimpleName());
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Code.

  /** Whether {@code tree} is in the source text (javac's own members have no end position). */
  private boolean isWritten(Tree tree) {
    return source.trees.getSourcePositions().getEndPosition(source.unit, tree) >= 0;
  }

  private CodeBlock copy(Tree tree) {
    SourcePositions p = source.trees.getSourcePositions();
    return verbatim.copyRange(root, (int) p.getStartPosition(source.unit, tree),
        (int) p.getEndPosition(source.unit, tree), java.util.Map.of());
  }

  /** The statements of {@code block} (with the comments among them), ending with a line break. */
  private CodeBlock copyContents(BlockTree block) {
    SourcePositions p = source.trees.getSourcePositions();
    int end = (int) p.getEndPosition(source.unit, block);
    // A static block starts at its keyword.
    int open = source.text().toString().indexOf('{', (int) p.getStartPosition(source.unit, block));
    CodeBlock code = verbatim.copyContents(root, open, end);
    return code.isEmpty() ? code : code.toBuilder().add("\n").build();
  }
}
