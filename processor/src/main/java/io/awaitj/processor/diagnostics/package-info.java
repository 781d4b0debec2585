/**
 * The one funnel for what the processor reports: errors on the user's elements and trees, held back
 * until the last round (javac would otherwise stop early), tried and dropped when the work is done
 * again in a later round, and the processor's own bugs as "internal error" diagnostics instead of
 * crashes. {@code SafetyNet}: an error for each {@code @Async} method left without a working machine
 * when javac goes on to compile the program all the same.
 */
package io.awaitj.processor.diagnostics;
