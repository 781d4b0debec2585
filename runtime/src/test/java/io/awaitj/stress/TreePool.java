package io.awaitj.stress;

import io.awaitj.Aio;
import io.awaitj.CancelledError;
import io.awaitj.Coroutine;
import io.awaitj.EventLoop;
import io.awaitj.Promise;
import io.awaitj.StressAccess;
import io.awaitj.Task;
import io.awaitj.TaskGroup;
import io.awaitj.stress.GroupTree.Group;
import io.awaitj.stress.GroupTree.Leaf;
import io.awaitj.stress.GroupTree.Node;
import io.awaitj.stress.GroupTree.Sim;
import io.awaitj.stress.StressSupport.Boom;
import io.awaitj.stress.StressSupport.Mismatches;
import io.awaitj.stress.StressSupport.Sample;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs {@link GroupTree}s: each group is a task whose body opens a {@link TaskGroup} the way the
 * processor's try-with-resources does; every task of every tree is checked against the tree's oracle
 * the moment it is done. Failures of inner tasks are looked at without being marked retrieved: the
 * groups must retrieve them, or debug mode reports them.
 */
@SuppressWarnings("fallthrough") // the state machines fall through from one label to the next
final class TreePool implements Consumer<Promise<?>> {
  private final EventLoop loop;
  private final SplittableRandom rnd;
  private final Mismatches mismatches;
  private final Sample sample;

  long trees;
  long rejected;
  long tasks;
  int live;
  long rootsFailed;
  long failuresInRoots;
  int deepestFailure = -1;
  final long[] leaves = new long[3];
  final long[] groups = new long[3];

  TreePool(EventLoop loop, SplittableRandom rnd, Mismatches mismatches, Sample sample) {
    this.loop = loop;
    this.rnd = rnd;
    this.mismatches = mismatches;
    this.sample = sample;
  }

  void spawn(int count) {
    int[] rej = new int[1];
    for (int i = 0; i < count; i++) {
      GroupTree tree = GroupTree.random(rnd, rej);
      start(tree, tree.root);
      trees++;
    }
    rejected += rej[0];
  }

  private Task<Void> start(GroupTree tree, Group g) {
    return track(loop.createTask(new Scope(tree, g)));
  }

  private <T> Task<T> track(Task<T> t) {
    t.addDoneCallback(this);
    sample.offer(t);
    tasks++;
    live++;
    return t;
  }

  @Override
  public void accept(Promise<?> p) {
    live--;
    Task<?> t = (Task<?>) p;
    GroupTree tree;
    Node node;
    if (t.coroutine() instanceof Scope s) {
      tree = s.tree;
      node = s.node;
    } else {
      LeafRun l = (LeafRun) t.coroutine();
      tree = l.tree;
      node = l.leaf;
    }
    Sim e = node.expected;
    long end = loop.nanoTime() - tree.t0;
    boolean isRoot = node == tree.root;
    String got;
    byte outcome;
    if (t.isCancelled()) {
      outcome = GroupTree.CANCELLED;
      got = "cancelled";
    } else if (t.isSuccess()) {
      outcome = GroupTree.OK;
      got = "ok";
    } else {
      outcome = GroupTree.FAIL;
      // The root's failure is ours to retrieve; the others' belong to their groups.
      Throwable f = isRoot ? t.exception() : StressAccess.failureOf(t);
      got = GroupTree.canonical(f);
    }
    if (outcome != e.outcome || end != e.end || (outcome == GroupTree.FAIL && !got.equals(e.failure))) {
      mismatches.add(node + " of tree " + tree.root + " ended " + got + " at " + end + ", expected " + e
          + "; the tree:" + tree.describe());
      return;
    }
    (node instanceof Leaf ? leaves : groups)[outcome]++;
    if (outcome == GroupTree.FAIL && node instanceof Leaf) {
      deepestFailure = Math.max(deepestFailure, node.depth);
    }
    if (isRoot && outcome == GroupTree.FAIL) {
      rootsFailed++;
      failuresInRoots += got.chars().filter(ch -> ch == 'L').count();
    }
  }

  String summary() {
    return String.format(java.util.Locale.ROOT,
        "%d trees (%d drawn again as ambiguous), %d tasks: leaves %d ok / %d failed / %d cancelled,"
            + " groups %d ok / %d failed / %d cancelled; %d roots failed with %d failures in all,"
            + " deepest failing leaf at depth %d",
        trees, rejected, tasks, leaves[0], leaves[1], leaves[2], groups[0], groups[1], groups[2],
        rootsFailed, failuresInRoots, deepestFailure);
  }

  /**
   * A group node: {@code try (TaskGroup g = new TaskGroup()) { await(body(g)); }} as the processor
   * generates it (the close gets the block's exception; the close's exception replaces a
   * CancelledError of the block, and is otherwise suppressed in the block's own).
   */
  final class Scope extends Coroutine<Void> {
    final GroupTree tree;
    final Group node;
    private TaskGroup group;
    private Throwable primary;

    Scope(GroupTree tree, Group node) {
      this.tree = tree;
      this.node = node;
    }

    @Override
    protected Object step() throws Throwable {
      switch (state) {
        case 0:
          if (node == tree.root) {
            tree.t0 = loop().nanoTime();
          }
          group = new TaskGroup();
          state = 1;
          try {
            if (suspendOn(new Body())) {
              return SUSPEND;
            }
          } catch (Throwable e) {
            primary = e;
            return close();
          }
          // fall through
        case 1:
          try {
            awaitResult();
          } catch (Throwable e) {
            primary = e;
          }
          return close();
        case 2:
          return closed();
        default:
          throw illegalState();
      }
    }

    private Object close() throws Throwable {
      state = 2;
      if (suspendOn(group.closeAsync(primary))) {
        return SUSPEND;
      }
      return closed();
    }

    private Object closed() throws Throwable {
      try {
        awaitResult();
      } catch (Throwable closeError) {
        if (primary == null) {
          throw closeError;
        }
        if (primary instanceof CancelledError && !(closeError instanceof CancelledError)) {
          closeError.addSuppressed(primary);
          throw closeError;
        }
        if (closeError != primary) {
          primary.addSuppressed(closeError);
        }
        throw primary;
      }
      if (primary != null) {
        throw primary;
      }
      return null;
    }

    /** Starts the children in the group, then sleeps {@code b} if there is one. */
    private final class Body extends Coroutine<Void> {
      @Override
      protected Object step() {
        switch (state) {
          case 0:
            for (Node child : node.children) {
              if (child instanceof Leaf l) {
                track(group.createTask(new LeafRun(tree, l)));
              } else {
                track(group.createTask(new Scope(tree, (Group) child)));
              }
            }
            if (node.b == 0) {
              return null;
            }
            state = 1;
            if (suspendOn(Aio.sleep(Duration.ofNanos(node.b)))) {
              return SUSPEND;
            }
            // fall through
          case 1:
            awaitResult();
            return null;
          default:
            throw illegalState();
        }
      }
    }
  }

  /** {@code try { sleep(d); if (fails) throw Boom; return id; } finally { sleep(c); }}. */
  static final class LeafRun extends Coroutine<Long> {
    final GroupTree tree;
    final Leaf leaf;
    private Throwable pending;

    LeafRun(GroupTree tree, Leaf leaf) {
      this.tree = tree;
      this.leaf = leaf;
    }

    @Override
    protected Object step() throws Throwable {
      switch (state) {
        case 0:
          state = 1;
          if (suspendOn(Aio.sleep(Duration.ofNanos(leaf.d)))) {
            return SUSPEND;
          }
          // fall through
        case 1:
          try {
            awaitResult();
            if (leaf.fails) {
              throw new Boom(leaf.id);
            }
          } catch (Throwable e) {
            pending = e;
          }
          if (leaf.c == 0) {
            return finish();
          }
          state = 2;
          if (suspendOn(Aio.sleep(Duration.ofNanos(leaf.c)))) {
            return SUSPEND;
          }
          // fall through
        case 2:
          awaitResult(); // a cancellation during the cleanup replaces everything
          return finish();
        default:
          throw illegalState();
      }
    }

    private Object finish() throws Throwable {
      if (pending != null) {
        throw pending;
      }
      return leaf.id;
    }
  }
}
