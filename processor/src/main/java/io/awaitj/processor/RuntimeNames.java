package io.awaitj.processor;

import com.palantir.javapoet.ClassName;

/** The runtime's names, kept in one place: generated code refers to them only through these. */
public final class RuntimeNames {
  private RuntimeNames() {}

  public static final String PACKAGE = "io.awaitj";
  public static final String ASYNC = "io.awaitj.Async";
  public static final String AIO = "io.awaitj.Aio";
  public static final String COROUTINE_NAME = "io.awaitj.Coroutine";

  public static final ClassName COROUTINE = ClassName.get(PACKAGE, "Coroutine");
  public static final ClassName AWAITABLE = ClassName.get(PACKAGE, "Awaitable");
  public static final ClassName ASYNC_CLOSEABLE = ClassName.get(PACKAGE, "AsyncCloseable");
  public static final ClassName AIO_CLASS = ClassName.get(PACKAGE, "Aio");

  /** The suffix of generated classes: {@code Crawler} → {@code CrawlerAsync}. */
  public static final String SUFFIX = "Async";
}
