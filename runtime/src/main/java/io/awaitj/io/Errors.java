package io.awaitj.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** The unchecked exceptions of this package, with messages that name the file and what to do. */
final class Errors {
  private Errors() {}

  /** {@code e}, thrown by {@code what} on {@code path}, wrapped with a message that says what to do. */
  static UncheckedIOException wrap(IOException e, Path path, String what) {
    String m;
    if (e instanceof NoSuchFileException) {
      m = "no such file: " + path + " (" + what + "): check the path; to create a file on write, open"
          + " it with StandardOpenOption.CREATE";
    } else if (e instanceof FileAlreadyExistsException) {
      m = "file already exists: " + path + " (" + what + "): CREATE_NEW refuses an existing file;"
          + " use CREATE, with TRUNCATE_EXISTING to replace its content";
    } else if (e instanceof AccessDeniedException) {
      m = "access denied: " + path + " (" + what + "): check the file's and its directory's"
          + " permissions";
    } else if (e instanceof NotDirectoryException || e instanceof DirectoryNotEmptyException) {
      m = what + " on " + path + " failed: " + e;
    } else if (e instanceof CharacterCodingException) {
      m = "cannot decode " + path + " (" + what + "): " + e
          + "; the file is not in the charset given (UTF-8 unless one is passed): pass its charset,"
          + " or read it with readAllBytes";
    } else {
      m = what + " on " + path + " failed: " + e;
    }
    return new UncheckedIOException(m, e);
  }

  /** The exception of an operation on a file that was closed. */
  static IllegalStateException closed(Path path, String what) {
    return new IllegalStateException(
        "cannot " + what + ": the AsyncFile of " + path + " is closed; open it again with"
            + " AsyncFiles.open(path, options)");
  }
}
