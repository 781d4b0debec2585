package io.awaitj.processor.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A small Java tokenizer for the mutation fuzzer: identifiers, keywords, number, string, character
 * and text-block literals, operators and separators. It knows nothing of javac; it only has to cut a
 * source into pieces that mutate meaningfully and glue back into the same text. Whitespace and
 * comments are kept as the {@linkplain Token#leading leading text} of the token that follows them
 * (the text after the last token is {@linkplain Tokens#trailing trailing}), so that {@link
 * Tokens#text()} of an unmutated list is the source exactly and a mutant keeps its line structure.
 */
public final class JavaTokens {
  private JavaTokens() {}

  /** What a token is. */
  public enum Kind { IDENTIFIER, KEYWORD, NUMBER, STRING, CHAR, TEXT_BLOCK, OPERATOR }

  /** One token and the whitespace and comments before it. */
  public record Token(Kind kind, String text, String leading) {
    /** The same token with other leading text. */
    public Token withLeading(String l) {
      return new Token(kind, text, l);
    }

    /** Another token's text and kind, in this token's place (this token's leading text). */
    public Token replacedBy(Token other) {
      return new Token(other.kind, other.text, leading);
    }
  }

  /** A tokenized source: its tokens and the text after the last one. */
  public record Tokens(List<Token> tokens, String trailing) {
    /** The source text these tokens spell. */
    public String text() {
      StringBuilder b = new StringBuilder();
      for (Token t : tokens) {
        b.append(t.leading).append(t.text);
      }
      return b.append(trailing).toString();
    }
  }

  /** The keywords (and literals spelled like identifiers) of Java 17, contextual ones included. */
  public static final Set<String> KEYWORDS = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
      "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
      "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
      "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
      "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
      "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
      "non-sealed");

  /** Operators and separators, longest first so that the first match is the longest. */
  private static final String[] OPERATORS = {
      ">>>=", "<<=", ">>=", ">>>", "...", "->", "::", "++", "--", "&&", "||", "==", "!=", "<=", ">=",
      "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>",
      "(", ")", "{", "}", "[", "]", ";", ",", ".", "@", "=", ">", "<", "!", "~", "?", ":", "+", "-",
      "*", "/", "&", "|", "^", "%"};

  /** Cuts {@code source} into tokens. Never fails: what it does not know becomes a one-char operator. */
  public static Tokens tokenize(String source) {
    List<Token> out = new ArrayList<>();
    int n = source.length();
    int i = 0;
    while (true) {
      int leadStart = i;
      i = skipTrivia(source, i);
      String leading = source.substring(leadStart, i);
      if (i >= n) {
        return new Tokens(out, leading);
      }
      int start = i;
      char c = source.charAt(i);
      Kind kind;
      if (source.startsWith("\"\"\"", i)) {
        kind = Kind.TEXT_BLOCK;
        i = endOfQuoted(source, i + 3, "\"\"\"");
      } else if (c == '"') {
        kind = Kind.STRING;
        i = endOfQuoted(source, i + 1, "\"");
      } else if (c == '\'') {
        kind = Kind.CHAR;
        i = endOfQuoted(source, i + 1, "'");
      } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(source.charAt(i + 1))) {
        kind = Kind.NUMBER;
        i = endOfNumber(source, i);
      } else if (Character.isJavaIdentifierStart(c)) {
        while (i < n && Character.isJavaIdentifierPart(source.charAt(i))) {
          i++;
        }
        kind = KEYWORDS.contains(source.substring(start, i)) ? Kind.KEYWORD : Kind.IDENTIFIER;
      } else {
        kind = Kind.OPERATOR;
        i++;
        for (String op : OPERATORS) {
          if (source.startsWith(op, start)) {
            i = start + op.length();
            break;
          }
        }
      }
      out.add(new Token(kind, source.substring(start, i), leading));
    }
  }

  private static int skipTrivia(String s, int i) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (s.startsWith("//", i)) {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    return i;
  }

  /** The index after the closing {@code quote}, escapes honoured; a string or char stops at a newline. */
  private static int endOfQuoted(String s, int i, String quote) {
    int n = s.length();
    boolean multiline = quote.length() == 3;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (s.startsWith(quote, i)) {
        return i + quote.length();
      } else if (c == '\n' && !multiline) {
        return i;
      } else {
        i++;
      }
    }
    return n;
  }

  private static int endOfNumber(String s, int i) {
    int n = s.length();
    boolean hex = s.startsWith("0x", i) || s.startsWith("0X", i);
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
        i++;
        boolean exponent = hex ? c == 'p' || c == 'P' : c == 'e' || c == 'E';
        if (exponent && i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
      } else {
        break;
      }
    }
    return i;
  }
}
