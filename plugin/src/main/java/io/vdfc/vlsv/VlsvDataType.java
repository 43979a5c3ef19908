package io.vdfc.vlsv;

import java.util.Locale;

/** The {@code datatype} attribute of a VLSV array. {@code uint} is unsigned; C++ {@code char} is (uint, 1). */
public enum VlsvDataType {
  INT("int"),
  UINT("uint"),
  FLOAT("float"),
  /** The C++ reader's {@code unknown}, and any other string found in a footer: such arrays can be copied, not decoded. */
  UNKNOWN("unknown");

  private final String footerName;

  VlsvDataType(String footerName) {
    this.footerName = footerName;
  }

  /** The attribute value as written in a footer ({@code "uint"}). */
  public String footerName() {
    return footerName;
  }

  /** Parses a footer value; unrecognised strings give {@link #UNKNOWN}. */
  public static VlsvDataType fromFooter(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (VlsvDataType t : values()) {
      if (t.footerName.equals(v)) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
