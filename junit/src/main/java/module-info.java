/**
 * awaitj's JUnit Jupiter extension ({@link io.awaitj.junit}): {@code @AsyncTest}, {@code @AsyncLoop},
 * {@code TestTime}. It reads, and hands on to a module that reads it, awaitj's runtime and JUnit
 * Jupiter's API, whose types its API names. JUnit instantiates {@link
 * io.awaitj.junit.AsyncTestExtension} through its public constructor, which the exported package
 * allows: the module opens nothing. Threading: see {@link io.awaitj.junit}.
 */
module io.awaitj.junit {
  requires transitive io.awaitj;
  requires transitive org.junit.jupiter.api;

  exports io.awaitj.junit;
}
