/**
 * Misuse of awaitj in ordinary code, reported once javac has analysed each class: {@code await}
 * outside an {@code @Async} body, and static templates {@code X.m(...)} called where {@code
 * XAsync.m(...)} was meant.
 */
package io.awaitj.processor.misuse;
