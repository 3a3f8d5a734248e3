package dev.cosub.runtime.data;

import dev.cosub.runtime.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Writes a dataset the runtime reads from its own files (Fashion-MNIST, MNIST, CIFAR) out as an
 * image folder, {@code train/<class>/<index>.png} and {@code val/<class>/<index>.png}, so that
 * the folder reader can be checked against the original reader on the same images. Class
 * folders are the class indices zero-padded to sort in label order.
 */
public final class ImageFolderExport {

    private ImageFolderExport() {}

    /**
     * Writes the dataset to {@code folder} unless an earlier call finished it; an interrupted
     * export is written again rather than trained on ({@link AtomicFiles#writeFolder}).
     *
     * @param dataDirectory the dataset's files, or null for its usual place
     */
    public static void exportOnce(String dataset, Path dataDirectory, Path folder,
            Consumer<String> log) throws IOException {
        if (Files.isDirectory(folder)) {
            log.accept("using the image folder " + folder);
            return;
        }
        ImageDataset data = Datasets.load(dataset, dataDirectory, 0, 0);
        log.accept("writing " + data.name() + " as PNG files to " + folder);
        long start = System.nanoTime();
        AtomicFiles.writeFolder(folder, staging -> {
            write(data.train(), staging.resolve("train"), data.classes());
            write(data.test(), staging.resolve("val"), data.classes());
        });
        log.accept(String.format(Locale.ROOT, "wrote %,d PNG images in %.1f s",
                data.train().count() + data.test().count(), (System.nanoTime() - start) / 1e9));
    }

    static int write(ImageSource images, Path split, int classes) throws IOException {
        int digits = Integer.toString(classes - 1).length();
        for (int i = 0; i < images.count(); i++) {
            Raster raster = images.read(i);
            String label = String.format("%0" + digits + "d", images.label(i));
            Path file = split.resolve(label).resolve(String.format("%05d.png", i));
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image(raster), "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        }
        return images.count();
    }

    public static BufferedImage image(Raster raster) {
        int width = raster.width();
        int height = raster.height();
        if (raster.channels() == 1) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, width, height, raster.pixels());
            return image;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        byte[] p = raster.pixels();
        for (int i = 0; i < plane; i++) {
            int rgb = (p[i] & 0xFF) << 16 | (p[plane + i] & 0xFF) << 8 | (p[2 * plane + i] & 0xFF);
            image.setRGB(i % width, i / width, rgb);
        }
        return image;
    }
}
