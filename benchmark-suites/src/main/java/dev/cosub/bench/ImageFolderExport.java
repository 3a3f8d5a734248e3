package dev.cosub.bench;

import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.data.ImageSource;
import dev.cosub.runtime.data.Raster;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes a dataset the runtime reads from its own files (Fashion-MNIST, MNIST, CIFAR) out as an
 * image folder, {@code train/<class>/<index>.png} and {@code val/<class>/<index>.png}, so that
 * the folder reader can be checked against the original reader on the same images.
 *
 * <pre>
 * ImageFolderExport --dataset fashion-mnist --out DIR [--data-dir DIR]
 * </pre>
 *
 * Class folders are the class indices zero-padded to sort in label order.
 */
public final class ImageFolderExport {

    private ImageFolderExport() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = SuiteRunner.parse(args, List.of("dataset", "out",
                "data-dir"));
        if (!options.containsKey("dataset") || !options.containsKey("out")) {
            System.err.println("usage: ImageFolderExport --dataset NAME --out DIR"
                    + " [--data-dir DIR]");
            System.exit(2);
        }
        Path out = Path.of(options.get("out"));
        ImageDataset data = Datasets.load(options.get("dataset"),
                options.containsKey("data-dir") ? Path.of(options.get("data-dir")) : null, 0, 0);
        long start = System.nanoTime();
        int written = write(data.train(), out.resolve("train"), data.classes())
                + write(data.test(), out.resolve("val"), data.classes());
        System.out.printf("wrote %d PNG images of %s to %s in %.1f s%n", written,
                data.name(), out, (System.nanoTime() - start) / 1e9);
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

    static BufferedImage image(Raster raster) {
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
