package io.awaitj;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose body is an async template: the awaitj annotation processor compiles it into a
 * state machine that runs on an {@code io.awaitj.EventLoop}.
 *
 * <p>The method returns {@code Coroutine<T>}, calls {@code Aio.await(...)} where it waits and ends with
 * {@code return Aio.done(value);}. Its body type-checks as ordinary Java but never runs as written: the
 * processor generates, for the enclosing class {@code X}, a class {@code XAsync} whose methods return the
 * state machine.
 *
 * <p>The retention is {@code CLASS} so that @Async methods of an already compiled library are still
 * recognised when other code calls them.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.CLASS)
public @interface Async {}
