/**
 * The awaitj annotation processor: analysis, lowering and emission of {@code @Async} methods. Filled in
 * by the processor issue; the module exists so that the build and its dependencies are in place.
 */
package io.awaitj.processor;
