package dev.cosub.runtime.data;

/**
 * One decoded image at its own size: unsigned bytes, channels first (C, H, W).
 *
 * @param channels 1 (grey) or 3 (RGB)
 */
public record Raster(int channels, int height, int width, byte[] pixels) {

    public Raster {
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException(channels + "x" + height + "x" + width
                    + " needs " + channels * height * width + " bytes, got " + pixels.length);
        }
    }

    /** Pixel {@code (channel, y, x)} in [0, 255]. */
    public int pixel(int channel, int y, int x) {
        return pixels[(channel * height + y) * width + x] & 0xFF;
    }
}
