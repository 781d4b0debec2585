package io.awaitj.processor.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The text of a generated file: a machine's fields stand together, nothing else is touched. */
class RenderedTest {
  @Test
  void theTopLevelClassesFieldsStandTogetherAndEverythingElseKeepsItsBlankLines() {
    String rendered = """
        package gen;

        import java.util.List;

        final class M extends Coroutine<Integer> {
            /**
             * Why a finally block was entered.
             */
            private static final int NORMAL$ = 0;

            private static final int THROW$ = 1;

            private int n;

            private List<Integer> log;

            M(int n) {
                this.n = n;
            }

            static final class Local {
                private int a;

                private int b;
            }

            @Override
            protected Object step() throws Throwable {
                String s = \"""
                    a;

                    b;
                    \""";
                int x = 1;

                int y = 2;
                return s;
            }
        }
        """;
    String expected = """
        package gen;

        import java.util.List;

        final class M extends Coroutine<Integer> {
            /**
             * Why a finally block was entered.
             */
            private static final int NORMAL$ = 0;
            private static final int THROW$ = 1;
            private int n;
            private List<Integer> log;

            M(int n) {
                this.n = n;
            }

            static final class Local {
                private int a;

                private int b;
            }

            @Override
            protected Object step() throws Throwable {
                String s = \"""
                    a;

                    b;
                    \""";
                int x = 1;

                int y = 2;
                return s;
            }
        }
        """;
    assertEquals(expected, Rendered.groupFields(rendered));
  }
}
