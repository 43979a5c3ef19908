package io.vdfc.vlsv;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of a VLSV footer: an array of {@code arraySize} elements of {@code vectorSize} components of
 * {@code dataSize} bytes each, stored little-endian from byte {@code offset}. Element i, component j is at
 * {@code offset + (i*vectorSize + j)*dataSize}.
 *
 * @param index position of the entry in the footer (0-based), which decides which of duplicate entries wins
 * @param tag element name ({@code BLOCKVARIABLE}, {@code VARIABLE}, {@code PARAMETER}, ...)
 * @param attributes every attribute of the footer element, in the order of the footer, values as written (the four
 *     size/type attributes included); unmodifiable
 * @param offset absolute byte offset of the data
 * @param arraySize number of elements
 * @param vectorSize components per element
 * @param dataType type of each component
 * @param dataSize bytes per component: 1, 2, 4 or 8
 */
public record VlsvArray(
    int index,
    String tag,
    Map<String, String> attributes,
    long offset,
    long arraySize,
    int vectorSize,
    VlsvDataType dataType,
    int dataSize) {

  /** The four attributes the writer adds to every entry. */
  public static final String ARRAYSIZE = "arraysize";

  public static final String VECTORSIZE = "vectorsize";
  public static final String DATATYPE = "datatype";
  public static final String DATASIZE = "datasize";

  public VlsvArray {
    attributes = attributes instanceof Frozen ? attributes : new Frozen(attributes);
  }

  /**
   * An unmodifiable copy of an entry's attributes in their order. An entry made from another's attributes (a writer's
   * copy of an input array) shares them instead of copying them again.
   */
  private static final class Frozen extends AbstractMap<String, String> {
    private final Map<String, String> view;

    Frozen(Map<String, String> attributes) {
      view = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
      return view.entrySet();
    }

    @Override
    public Set<String> keySet() {
      return view.keySet();
    }

    @Override
    public String get(Object key) {
      return view.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return view.containsKey(key);
    }

    @Override
    public int size() {
      return view.size();
    }
  }

  /** The {@code name} attribute, or {@code ""} if the entry has none (legacy BLOCKIDS). */
  public String name() {
    return attributes.getOrDefault("name", "");
  }

  /** The {@code mesh} attribute, or {@code ""} if the entry has none. */
  public String mesh() {
    return attributes.getOrDefault("mesh", "");
  }

  /** Any attribute, as written in the footer. */
  public Optional<String> attr(String key) {
    return Optional.ofNullable(attributes.get(key));
  }

  /** Bytes of one element: {@code vectorSize * dataSize}. */
  public long elementBytes() {
    return (long) vectorSize * dataSize;
  }

  /** Bytes of the whole array: {@code arraySize * vectorSize * dataSize}; saturates at Long.MAX_VALUE. */
  public long byteSize() {
    try {
      return Math.multiplyExact(arraySize, elementBytes());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Number of components, {@code arraySize * vectorSize}; saturates at Long.MAX_VALUE. */
  public long componentCount() {
    try {
      return Math.multiplyExact(arraySize, (long) vectorSize);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** True if all given attribute pairs are present with equal values. */
  public boolean matches(String tag, Map<String, String> attrs) {
    if (!this.tag.equals(tag)) {
      return false;
    }
    for (var e : attrs.entrySet()) {
      if (!e.getValue().equals(attributes.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Short description for messages: {@code <BLOCKVARIABLE name="proton">}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("<").append(tag);
    for (String k : new String[] {"name", "mesh"}) {
      String v = attributes.get(k);
      if (v != null) {
        sb.append(' ').append(k).append("=\"").append(v).append('"');
      }
    }
    return sb.append('>').toString();
  }
}
