package dev.cosub.runtime.data;

import dev.cosub.runtime.io.InvalidDataException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files with their labels, decoded when read with the JDK's ImageIO (PNG and JPEG, grey
 * or colour, 8 or 16 bits). Every image is delivered with the folder's channels: a grey image
 * of a colour folder repeats its grey value in the three channels, and an alpha channel is
 * dropped, as torchvision's loader does.
 */
public final class ImageFolder implements ImageSource {

    private final List<Path> files;
    private final int[] labels;
    private final int channels;

    ImageFolder(List<Path> files, int[] labels, int channels) {
        if (files.size() != labels.length) {
            throw new IllegalArgumentException(files.size() + " files, " + labels.length
                    + " labels");
        }
        this.files = List.copyOf(files);
        this.labels = labels.clone();
        this.channels = channels;
    }

    /** The images at {@code indices}, in that order. */
    ImageFolder select(int[] indices) {
        Path[] selected = new Path[indices.length];
        int[] selectedLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            selected[i] = files.get(indices[i]);
            selectedLabels[i] = labels[indices[i]];
        }
        return new ImageFolder(List.of(selected), selectedLabels, channels);
    }

    @Override
    public int count() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    public Path file(int index) {
        return files.get(index);
    }

    @Override
    public Raster read(int index) {
        return read(files.get(index), channels, "in a folder of grey images");
    }

    /**
     * Decodes one image file with {@code channels} channels, as a folder's images are decoded.
     *
     * @param greyContext where grey images are expected, for the message that refuses a colour
     *     image there
     * @throws InvalidDataException naming the file when it is not a readable PNG or JPEG, or a
     *     colour image where grey is expected
     */
    public static Raster read(Path file, int channels, String greyContext) {
        Raster raster = toRaster(decode(file), channels);
        if (raster == null) {
            throw new InvalidDataException(file + ": a colour image " + greyContext
                    + "; convert it, or make every image colour");
        }
        return raster;
    }

    /** What an image's header says. */
    record Header(int width, int height, boolean grey, boolean alpha) {}

    /**
     * Reads an image's size and colour mode without decoding its pixels.
     *
     * @throws InvalidDataException naming the file when it is not a readable PNG or JPEG
     */
    static Header header(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(file, in);
            try {
                ImageTypeSpecifier type = reader.getRawImageType(0);
                if (type == null) {
                    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                    type = types.hasNext() ? types.next() : null;
                }
                if (type == null) {
                    throw new InvalidDataException(file + ": its colour space (CMYK?) is not"
                            + " supported: expected grey or RGB");
                }
                ColorModel model = type.getColorModel();
                return new Header(reader.getWidth(0), reader.getHeight(0), isGrey(model),
                        model.hasAlpha());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    private static BufferedImage decode(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(file, in);
            try {
                // A truncated JPEG decodes with a warning and grey rows: refuse it instead.
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String warning) {
                        throw new InvalidDataException(file + ": damaged image (" + warning + ")");
                    }
                });
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    private static ImageReader reader(Path file, ImageInputStream in) {
        if (in == null) {
            throw new InvalidDataException(file + ": cannot be opened");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new InvalidDataException(file + ": not a PNG or JPEG image (no image format"
                    + " recognises its first bytes)");
        }
        ImageReader reader = readers.next();
        reader.setInput(in, true, true);
        return reader;
    }

    private static InvalidDataException unreadable(Path file, Exception e) {
        if (e instanceof InvalidDataException invalid) {
            return invalid;
        }
        return new InvalidDataException(file + ": cannot be decoded (" + e.getMessage() + ")", e);
    }

    private static boolean isGrey(ColorModel model) {
        return model.getNumColorComponents() == 1 && !(model instanceof IndexColorModel);
    }

    /**
     * The image with {@code channels} channels, decoded as the folder reader decodes its files,
     * or {@code null} for a colour image asked as grey.
     */
    static Raster toRaster(BufferedImage image, int channels) {
        int width = image.getWidth();
        int height = image.getHeight();
        int plane = width * height;
        byte[] out = new byte[channels * plane];
        ColorModel model = image.getColorModel();
        if (isGrey(model)) {
            int shift = Math.max(model.getComponentSize(0) - 8, 0);
            int[] samples = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
            for (int i = 0; i < plane; i++) {
                byte value = (byte) (samples[i] >> shift);
                for (int c = 0; c < channels; c++) {
                    out[c * plane + i] = value;
                }
            }
        } else if (channels == 1) {
            return null;
        } else if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getData().length == 3 * plane) {
            // What the JPEG reader gives: interleaved B, G, R bytes.
            byte[] bgr = buffer.getData();
            for (int i = 0; i < plane; i++) {
                out[i] = bgr[3 * i + 2];
                out[plane + i] = bgr[3 * i + 1];
                out[2 * plane + i] = bgr[3 * i];
            }
        } else {
            int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
            for (int i = 0; i < plane; i++) {
                out[i] = (byte) (argb[i] >> 16);
                out[plane + i] = (byte) (argb[i] >> 8);
                out[2 * plane + i] = (byte) argb[i];
            }
        }
        return new Raster(channels, height, width, out);
    }
}
