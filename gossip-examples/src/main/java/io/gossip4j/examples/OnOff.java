package io.gossip4j.examples;

import picocli.CommandLine;

/**
 * Reads a command-line switch written {@code on} or {@code off}. Picocli hands a boolean
 * option's value over as {@code true} or {@code false} once it has read it, so those pass too.
 */
final class OnOff implements CommandLine.ITypeConverter<Boolean> {
  @Override
  public Boolean convert(String value) {
    if (value.equalsIgnoreCase("on") || value.equalsIgnoreCase("true")) {
      return true;
    } else if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new CommandLine.TypeConversionException("must be on or off, was '" + value + "'");
  }
}
