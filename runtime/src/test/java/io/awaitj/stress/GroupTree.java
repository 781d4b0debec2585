package io.awaitj.stress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A random tree of nested task groups, and what each of its tasks must end with.
 *
 * <p>Every group is a task (the root: a task of its own; the others: tasks of their parent's group)
 * whose body creates the group, starts the children at once, optionally sleeps {@code b}, and ends,
 * closing the group. A leaf sleeps {@code d}, then returns its id or throws {@code Boom(id)}, after an
 * optional cleanup (a finally block sleeping {@code c}, which also runs when the leaf is cancelled).
 *
 * <p>{@link #expect()} works the outcomes out with asyncio's TaskGroup rules: the first failure of a
 * child cancels the other children and the group's own body; a group cancelled from outside cancels
 * its children and ends cancelled, unless one of its children failed, in which case it fails with a
 * {@code TaskGroupException} of its children's failures in the order they happened; a group ends when
 * its body and all its children have. All tasks start at the same instant, and durations carry random
 * nanoseconds, so two events coincide only by construction (a cancellation and the failure that caused
 * it) or by a rare accident; a tree whose outcome would depend on the order of two events at the same
 * instant is rejected ({@link Ambiguous}) and drawn again.
 */
final class GroupTree {
  static final long INF = Long.MAX_VALUE;
  static final long MS = 1_000_000L;

  static final byte OK = 0;
  static final byte FAIL = 1;
  static final byte CANCELLED = 2;
  static final String[] OUTCOMES = {"ok", "failed", "cancelled"};

  /** The instant the root started; set by the root when it first runs. */
  long t0 = -1;

  Group root;
  int nodes;
  int maxDepth;

  private GroupTree() {}

  abstract static class Node {
    final long id;
    final int depth;
    /** What the task running this node must end with. */
    Sim expected;
    Sim natural;

    Node(long id, int depth) {
      this.id = id;
      this.depth = depth;
    }
  }

  static final class Leaf extends Node {
    final long d;
    final boolean fails;
    final long c;

    Leaf(long id, int depth, long d, boolean fails, long c) {
      super(id, depth);
      this.d = d;
      this.fails = fails;
      this.c = c;
    }

    @Override
    public String toString() {
      return "Leaf#" + id + "[d=" + d + (fails ? ", fails" : "") + (c > 0 ? ", c=" + c : "") + "]";
    }
  }

  static final class Group extends Node {
    final long b;
    Node[] children;

    Group(long id, int depth, long b) {
      super(id, depth);
      this.b = b;
    }

    @Override
    public String toString() {
      return "Group#" + id + "[depth=" + depth + ", b=" + b + ", " + children.length + " children]";
    }
  }

  /** An outcome: how, when, and for a failure its canonical form ({@code L<id>} or {@code [..]}). */
  static final class Sim {
    byte outcome;
    final long end;
    final String failure;
    final Sim[] kids;

    Sim(byte outcome, long end, String failure, Sim[] kids) {
      this.outcome = outcome;
      this.end = end;
      this.failure = failure;
      this.kids = kids;
    }

    @Override
    public String toString() {
      return OUTCOMES[outcome] + " at " + end + (failure != null ? " with " + failure : "");
    }
  }

  /** The outcome would depend on the order of two events at the same instant. */
  static final class Ambiguous extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Ambiguous() {
      super(null, null, false, false);
    }
  }

  private static final Ambiguous AMBIGUOUS = new Ambiguous();

  // -----------------------------------------------------------------------------------------------
  // Generation.

  /** A random tree whose outcome is unambiguous; {@code rejected[0]} counts the trees drawn again. */
  static GroupTree random(SplittableRandom rnd, int[] rejected) {
    while (true) {
      int maxDepth = 1 + rnd.nextInt(4);
      int failPercent = new int[] {0, 5, 15, 30}[rnd.nextInt(4)];
      GroupTree tree = new GroupTree();
      tree.root = tree.group(rnd, 0, maxDepth, failPercent);
      try {
        tree.expect();
        return tree;
      } catch (Ambiguous e) {
        rejected[0]++;
      }
    }
  }

  private Group group(SplittableRandom rnd, int depth, int maxDepth, int failPercent) {
    nodes++;
    this.maxDepth = Math.max(this.maxDepth, depth);
    long b = rnd.nextInt(10) < 4 ? (1 + rnd.nextInt(60)) * MS + rnd.nextInt(1_000_000) : 0;
    Group g = new Group(StormPool.Ids.next(), depth, b);
    int n = 1 + rnd.nextInt(5);
    g.children = new Node[n];
    for (int i = 0; i < n; i++) {
      if (depth < maxDepth && rnd.nextInt(100) < 35) {
        g.children[i] = group(rnd, depth + 1, maxDepth, failPercent);
      } else {
        nodes++;
        long d = (1 + rnd.nextInt(50)) * MS + rnd.nextInt(1_000_000);
        long c = rnd.nextInt(10) < 3 ? (1 + rnd.nextInt(10)) * MS + rnd.nextInt(1_000_000) : 0;
        g.children[i] = new Leaf(StormPool.Ids.next(), depth + 1, d, rnd.nextInt(100) < failPercent, c);
      }
    }
    return g;
  }

  // -----------------------------------------------------------------------------------------------
  // The oracle.

  /** Works out every node's expected outcome; throws {@link Ambiguous}. */
  void expect() {
    assign(root, sim(root, INF));
  }

  private static void assign(Node n, Sim s) {
    n.expected = s;
    if (n instanceof Group g) {
      for (int i = 0; i < g.children.length; i++) {
        assign(g.children[i], s.kids[i]);
      }
    }
  }

  /** The outcome of {@code n} if its task is cancelled at {@code x} ({@link #INF}: never). */
  private static Sim sim(Node n, long x) {
    Sim nat = n.natural;
    if (nat == null) {
      nat = n instanceof Leaf l ? leafNatural(l) : groupCore((Group) n, INF);
      n.natural = nat;
    }
    if (x == INF || x > nat.end) {
      return nat;
    }
    if (x == nat.end) {
      throw AMBIGUOUS;
    }
    if (n instanceof Leaf l) {
      if (x == l.d) {
        throw AMBIGUOUS;
      }
      // Cancelled in its sleep: the cleanup runs in full. Cancelled in the cleanup: ends there.
      return new Sim(CANCELLED, x < l.d ? x + l.c : x, null, null);
    }
    Sim s = groupCore((Group) n, x);
    if (s.outcome != FAIL) {
      // Cancelled from outside while running, and no child failed: the cancellation propagates.
      s.outcome = CANCELLED;
    }
    return s;
  }

  private static Sim leafNatural(Leaf l) {
    return new Sim(l.fails ? FAIL : OK, l.d + l.c, l.fails ? "L" + l.id : null, null);
  }

  /** A group whose task is cancelled at {@code x}: when it ends, and with which failures. */
  private static Sim groupCore(Group g, long x) {
    int n = g.children.length;
    Sim[] nat = new Sim[n];
    long tf = INF;
    int trigger = -1;
    for (int i = 0; i < n; i++) {
      nat[i] = sim(g.children[i], INF);
      if (nat[i].outcome == FAIL) {
        long ft = nat[i].end;
        if (ft == x || ft == tf) {
          throw AMBIGUOUS;
        }
        if (ft < x && ft < tf) {
          tf = ft;
          trigger = i;
        }
      }
    }
    // The group aborts (cancels its children, and its body if still running) at the first failure,
    // or when its task is cancelled from outside, whichever comes first.
    long abortAt = Math.min(x, tf);
    Sim[] fin = new Sim[n];
    for (int i = 0; i < n; i++) {
      fin[i] = i == trigger ? nat[i] : sim(g.children[i], abortAt);
    }
    long bodyEnd;
    if (g.b == 0) {
      bodyEnd = 0;
    } else if (g.b < abortAt) {
      bodyEnd = g.b;
    } else if (g.b == abortAt) {
      throw AMBIGUOUS;
    } else {
      bodyEnd = abortAt;
    }
    long end = bodyEnd;
    List<Sim> failures = new ArrayList<>();
    for (Sim s : fin) {
      end = Math.max(end, s.end);
      if (s.outcome == FAIL) {
        failures.add(s);
      }
    }
    if (failures.isEmpty()) {
      return new Sim(OK, end, null, fin);
    }
    failures.sort(Comparator.comparingLong(s -> s.end));
    for (int i = 1; i < failures.size(); i++) {
      if (failures.get(i).end == failures.get(i - 1).end) {
        throw AMBIGUOUS;
      }
    }
    String canonical = failures.stream().map(s -> s.failure).collect(Collectors.joining(", ", "[", "]"));
    return new Sim(FAIL, end, canonical, fin);
  }

  /** The canonical form of a failure: a Boom is {@code L<id>}, a group exception {@code [..]}. */
  static String canonical(Throwable e) {
    if (e instanceof StressSupport.Boom b) {
      return "L" + b.id;
    }
    if (e instanceof io.awaitj.TaskGroupException g) {
      return g.exceptions().stream().map(GroupTree::canonical).collect(Collectors.joining(", ", "[", "]"));
    }
    return "?" + e;
  }

  /** The tree, one node a line, with the expected outcomes. */
  String describe() {
    StringBuilder b = new StringBuilder();
    describe(root, b);
    return b.toString();
  }

  private static void describe(Node n, StringBuilder b) {
    b.append("\n").append("  ".repeat(n.depth + 2)).append(n).append(" -> ").append(n.expected);
    if (n instanceof Group g) {
      Arrays.stream(g.children).forEach(c -> describe(c, b));
    }
  }
}
