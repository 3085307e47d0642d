package io.gossip4j.examples;

/** A mistake of the user's (a bad ticket, a port in use): shown as one line, exit code 1. */
final class UserError extends RuntimeException {
  UserError(String message) {
    super(message);
  }

  UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
