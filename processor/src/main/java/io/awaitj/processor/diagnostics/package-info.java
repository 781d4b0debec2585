/**
 * The one funnel for what the processor reports: errors on the user's elements and trees, held back
 * across rounds where javac would otherwise stop early, and the processor's own bugs as "internal
 * error" diagnostics instead of crashes.
 */
package io.awaitj.processor.diagnostics;
