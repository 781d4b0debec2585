/**
 * Facts about an {@code @Async} body, computed once before it is lowered: {@code AwaitAnalysis} (the
 * await points, the trees that contain one, delegating returns, async lambdas), {@code LocalScopes}
 * (the local classes its statements declare, the locals declared inside loops, what a lambda or class
 * captures) and {@code AsyncElements} (what awaitj's own elements are: {@code await}, {@code done},
 * {@code @Async} methods); and about the class around it: {@code UnresolvedNames} (the type
 * names that resolve to nothing yet, read before javac attributes it), {@code JavacErrors} (where
 * javac's attribution went wrong), {@code JavacLimits} (what javac cannot compile after attributing
 * it).
 */
package io.awaitj.processor.analysis;
