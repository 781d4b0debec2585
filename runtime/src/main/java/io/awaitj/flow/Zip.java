package io.awaitj.flow;

import io.awaitj.Coroutine;
import java.util.function.BiFunction;

/**
 * {@code zip}: pairs of elements, one of each upstream, combined by a function; ends when either ends,
 * closing the other.
 */
final class Zip<A, B, R> extends Node<R> {
  private final Node<A> a;
  private final Node<B> b;
  private final BiFunction<? super A, ? super B, ? extends R> f;
  private Object heldA;
  private boolean haveA;

  Zip(Node<A> a, Node<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
    this.a = a;
    this.b = b;
    this.f = f;
  }

  @Override
  Object poll0() {
    if (!haveA) {
      Object r = a.poll();
      if (r == WAIT) {
        return WAIT;
      }
      if (r == END) {
        return STOP;
      }
      heldA = r;
      haveA = true;
    }
    Object r = b.poll();
    return r == WAIT ? WAIT : pair(r);
  }

  @SuppressWarnings("unchecked")
  private Object pair(Object rb) {
    if (rb == END) {
      return STOP;
    }
    Object ra = heldA;
    heldA = null;
    haveA = false;
    return f.apply((A) ra, (B) rb);
  }

  @Override
  Coroutine<Object> pull0() {
    return new Read();
  }

  @Override
  Coroutine<Void> closeUpstream() {
    heldA = null;
    return Closer.of(a, b);
  }

  @Override
  public String toString() {
    return "zip of " + a + " and " + b;
  }

  /** Awaits the side that must wait, then polls again. */
  private final class Read extends Coroutine<Object> {
    @Override
    protected Object step() {
      while (true) {
        switch (state) {
          case 0:
            {
              Object x = poll0();
              if (x != WAIT) {
                return x;
              }
              if (!haveA) {
                state = 1;
                if (suspendOn(a.pull())) {
                  return SUSPEND;
                }
              } else {
                state = 2;
                if (suspendOn(b.pull())) {
                  return SUSPEND;
                }
              }
              continue;
            }
          case 1:
            {
              Object r = awaitResult();
              state = 0;
              if (r == END) {
                return STOP;
              }
              heldA = r;
              haveA = true;
              continue;
            }
          case 2:
            {
              Object r = awaitResult();
              state = 0;
              return pair(r);
            }
          default:
            throw illegalState();
        }
      }
    }
  }
}
