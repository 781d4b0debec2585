package io.awaitj.processor.fuzz;

import io.awaitj.processor.Differential.Case;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One generated program: an {@code @Async} case method (a {@link Case} for {@link
 * io.awaitj.processor.Differential}) and the {@code @Async} helper methods only it calls, kept as a
 * small statement tree so that the shrinker can remove statements and unwrap blocks.
 *
 * <p>Helper names are written with the placeholder {@link #SELF} for the program's name, so that
 * copies of a program under other names (the shrinker compiles many candidates at once) do not clash.
 */
public final class Program {
  /** Stands for the program's name in helper names; replaced when rendered. */
  public static final String SELF = "@@P";

  /** A statement of the tree. */
  public sealed interface Node permits Line, Compound {
    Node copy();
  }

  /** What a {@link Line} is, which decides where it may stand without braces. */
  public enum Kind {
    /** An expression statement: may be a bare if or loop body, or a switch rule. */
    EXPRESSION,
    /** A throw: may stand anywhere without braces. */
    THROW,
    /** break, continue, return, yield: may be a bare if or loop body, not a switch rule. */
    JUMP,
    /** A declaration or anything else: always inside braces. */
    OTHER
  }

  /** A statement without nested statements (its text may still span lines). */
  public record Line(String text, Kind kind) implements Node {
    @Override
    public Line copy() {
      return this;
    }
  }

  /** A statement with nested blocks: a sequence of text and {@link Block}s. */
  public static final class Compound implements Node {
    final List<Object> parts;

    public Compound(Object... parts) {
      this.parts = new ArrayList<>(Arrays.asList(parts));
    }

    @Override
    public Compound copy() {
      Compound c = new Compound();
      for (Object o : parts) {
        c.parts.add(o instanceof Block b ? b.copy() : o);
      }
      return c;
    }

    List<Block> blocks() {
      List<Block> out = new ArrayList<>();
      for (Object o : parts) {
        if (o instanceof Block b) {
          out.add(b);
        }
      }
      return out;
    }
  }

  /**
   * A list of statements. Braced blocks render as {@code { ... }}, or as their single statement when
   * {@code braces} is false; unbraced groups (the statements of a {@code case ... :}) render as lines.
   */
  public static final class Block {
    final List<Node> statements;
    final Style style;

    /**
     * BRACES: always braced. BODY: an if or loop body, bare when it is one simple statement. RULE: a
     * switch rule's body, bare when it is one expression statement or throw. GROUP: the statements
     * of a {@code case ...:}, on lines of their own.
     */
    enum Style { BRACES, BODY, RULE, GROUP }

    public Block(List<Node> statements, Style style) {
      this.statements = new ArrayList<>(statements);
      this.style = style;
    }

    Block copy() {
      List<Node> s = new ArrayList<>();
      for (Node n : statements) {
        s.add(n.copy());
      }
      return new Block(s, style);
    }
  }

  /** A helper method: its header (with {@link #SELF}) and body. */
  public static final class Method {
    final String header;
    final Block body;

    public Method(String header, Block body) {
      this.header = header;
      this.body = body;
    }

    Method copy() {
      return new Method(header, body.copy());
    }
  }

  final String name;
  final String returnType;
  final String params;
  final Object[] args;
  final Block body;
  final List<Method> helpers;

  public Program(String name, String returnType, String params, Object[] args, Block body,
      List<Method> helpers) {
    this.name = name;
    this.returnType = returnType;
    this.params = params;
    this.args = args;
    this.body = body;
    this.helpers = new ArrayList<>(helpers);
  }

  public String name() {
    return name;
  }

  /** A deep copy named {@code newName}. */
  public Program renamed(String newName) {
    List<Method> hs = new ArrayList<>();
    for (Method m : helpers) {
      hs.add(m.copy());
    }
    return new Program(newName, returnType, params, args.clone(), body.copy(), hs);
  }

  /** The case method, for {@link io.awaitj.processor.Differential}. */
  public Case toCase() {
    return new Case(name, returnType, params, bodyText(), args);
  }

  /** The body of the case method. */
  public String bodyText() {
    StringBuilder b = new StringBuilder();
    for (Node n : body.statements) {
      render(b, n, 0);
    }
    return b.toString().replace(SELF, name);
  }

  /** This program's helper methods, as members of the class (indented for it). */
  public String helperText() {
    StringBuilder b = new StringBuilder();
    for (Method m : helpers) {
      b.append("  ").append(m.header).append(" {\n");
      for (Node n : m.body.statements) {
        render(b, n, 2);
      }
      b.append("  }\n");
    }
    return b.toString().replace(SELF, name);
  }

  /** How many statements the program has (its size, for the shrinker's reports). */
  public int size() {
    int[] n = {0};
    forEachBlock(blk -> n[0] += blk.statements.size());
    return n[0] + helpers.size();
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering.

  private static void indent(StringBuilder b, int level) {
    b.append("  ".repeat(level));
  }

  private static void render(StringBuilder b, Node n, int level) {
    if (n instanceof Line l) {
      for (String line : l.text.split("\n", -1)) {
        indent(b, level);
        b.append(line).append('\n');
      }
      return;
    }
    Compound c = (Compound) n;
    indent(b, level);
    for (Object part : c.parts) {
      if (part instanceof String s) {
        if (s.startsWith("\n")) {
          // A line of its own inside the statement (a case label, or the closing brace).
          b.append('\n');
          indent(b, s.startsWith("\n}") ? level : level + 1);
          b.append(s.substring(1));
        } else {
          b.append(s);
        }
        continue;
      }
      Block blk = (Block) part;
      switch (blk.style) {
        case GROUP -> {
          b.append('\n');
          for (Node child : blk.statements) {
            render(b, child, level + 2);
          }
          trimNewline(b);
        }
        case BODY, RULE -> {
          if (blk.statements.size() == 1 && blk.statements.get(0) instanceof Line l
              && !l.text.contains("\n")
              && (l.kind == Kind.EXPRESSION || l.kind == Kind.THROW
                  || l.kind == Kind.JUMP && blk.style == Block.Style.BODY)) {
            b.append(l.text);
          } else {
            braces(b, blk, level);
          }
        }
        case BRACES -> braces(b, blk, level);
      }
    }
    b.append('\n');
  }

  private static void braces(StringBuilder b, Block blk, int level) {
    if (blk.statements.isEmpty()) {
      b.append("{ }");
      return;
    }
    b.append("{\n");
    for (Node child : blk.statements) {
      render(b, child, level + 1);
    }
    indent(b, level);
    b.append('}');
  }

  private static void trimNewline(StringBuilder b) {
    if (b.length() > 0 && b.charAt(b.length() - 1) == '\n') {
      b.setLength(b.length() - 1);
    }
  }

  /** One statement, on one line, for statements nested in expressions (switch expression arms). */
  static String inline(Node n) {
    StringBuilder b = new StringBuilder();
    render(b, n, 0);
    return b.toString().trim().replaceAll("\\s*\n\\s*", " ");
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions, for the shrinker.

  private void forEachBlock(java.util.function.Consumer<Block> action) {
    walk(body, action);
    for (Method m : helpers) {
      walk(m.body, action);
    }
  }

  private static void walk(Block blk, java.util.function.Consumer<Block> action) {
    action.accept(blk);
    for (Node n : blk.statements) {
      if (n instanceof Compound c) {
        for (Block inner : c.blocks()) {
          walk(inner, action);
        }
      }
    }
  }

  private List<Block> blocks() {
    List<Block> out = new ArrayList<>();
    forEachBlock(out::add);
    return out;
  }

  /**
   * Every program one step smaller than this one, biggest steps first: without a helper; without
   * half, a quarter, or one of the statements of a block; with a compound statement replaced by the
   * statements of one of its blocks; with a line simplified. Many do not compile; the shrinker
   * drops those.
   */
  public List<Program> reductions() {
    List<Program> out = new ArrayList<>();
    for (int h = 0; h < helpers.size(); h++) {
      Program p = renamed(name);
      p.helpers.remove(h);
      out.add(p);
    }
    int blockCount = blocks().size();
    // Chunks: halves and quarters of each block with at least four statements.
    for (int parts : new int[] {2, 4}) {
      for (int bi = 0; bi < blockCount; bi++) {
        int n = blocks().get(bi).statements.size();
        if (n < 2 * parts) {
          continue;
        }
        for (int k = 0; k < parts; k++) {
          int from = n * k / parts;
          int to = n * (k + 1) / parts;
          Program p = renamed(name);
          p.blocks().get(bi).statements.subList(from, to).clear();
          out.add(p);
        }
      }
    }
    for (int bi = 0; bi < blockCount; bi++) {
      int n = blocks().get(bi).statements.size();
      for (int si = 0; si < n; si++) {
        Program p = renamed(name);
        p.blocks().get(bi).statements.remove(si);
        out.add(p);
      }
    }
    for (int bi = 0; bi < blockCount; bi++) {
      List<Node> stmts = blocks().get(bi).statements;
      for (int si = 0; si < stmts.size(); si++) {
        if (stmts.get(si) instanceof Compound c) {
          for (int k = 0; k < c.blocks().size(); k++) {
            Program p = renamed(name);
            List<Node> target = p.blocks().get(bi).statements;
            Compound pc = (Compound) target.get(si);
            Block inner = pc.blocks().get(k);
            target.remove(si);
            target.addAll(si, inner.statements);
            out.add(p);
          }
        }
      }
    }
    for (int bi = 0; bi < blockCount; bi++) {
      List<Node> stmts = blocks().get(bi).statements;
      for (int si = 0; si < stmts.size(); si++) {
        if (stmts.get(si) instanceof Line l) {
          for (String simpler : Simplifier.simplifications(l.text)) {
            Program p = renamed(name);
            p.blocks().get(bi).statements.set(si, new Line(simpler, l.kind));
            out.add(p);
          }
        } else if (stmts.get(si) instanceof Compound c) {
          for (int k = 0; k < c.parts.size(); k++) {
            if (c.parts.get(k) instanceof String s) {
              for (String simpler : Simplifier.simplifications(s)) {
                Program p = renamed(name);
                ((Compound) p.blocks().get(bi).statements.get(si)).parts.set(k, simpler);
                out.add(p);
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** The reproduction written for a failure: the case and the members it needs. */
  public String reproduction() {
    StringBuilder b = new StringBuilder();
    b.append("  static final String EXTRA = ProgramGenerator.SHARED + \"\"\"\n")
        .append(helperText().indent(4).replace("\\", "\\\\"))
        .append("      \"\"\";\n\n");
    b.append("  new Case(\"").append(name).append("\", \"").append(returnType).append("\", \"")
        .append(params).append("\", \"\"\"\n")
        .append(bodyText().indent(6).replace("\\", "\\\\"))
        .append("      \"\"\"");
    for (Object a : args) {
      b.append(", ").append(a instanceof String s ? "\"" + s + "\"" : a instanceof Long l ? l + "L" : a);
    }
    b.append(")\n");
    return b.toString();
  }
}
