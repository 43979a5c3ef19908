package io.vdfc.codec;

/**
 * Base of the lossy codecs: the registered identity ({@link #name}, {@link #id}, payload {@link #version}) held once,
 * given by the subclass's constructor, and {@link #lossless} false. Each lossy codec used to repeat these four
 * accessors over its own constants.
 */
public abstract class LossyCodec implements VdfCodec {
  private final String name;
  private final int id;
  private final int version;

  protected LossyCodec(String name, int id, int version) {
    this.name = name;
    this.id = id;
    this.version = version;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int id() {
    return id;
  }

  @Override
  public final int version() {
    return version;
  }

  @Override
  public final boolean lossless() {
    return false;
  }
}
