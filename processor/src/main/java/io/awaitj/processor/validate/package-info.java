/**
 * Checks that need elements only, made before anything is generated for a type: an {@code @Async}
 * method's return type and modifiers, the shape of its class, and that the generated name is free.
 */
package io.awaitj.processor.validate;
