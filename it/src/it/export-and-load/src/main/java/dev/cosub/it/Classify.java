package dev.cosub.it;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An application that knows nothing of cosub: it loads an exported model with DJL's Criteria
 * and classifies the first test images of Fashion-MNIST, one line each, then its accuracy.
 */
public final class Classify {

    private static final int IMAGES = 200;

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Criteria<Image, Classifications> criteria = Criteria.builder()
                .setTypes(Image.class, Classifications.class)
                .optModelPath(model)
                .build();
        List<String> lines = new ArrayList<>();
        List<String> classes = Files.readAllLines(model.resolve("synset.txt"));
        int correct = 0;
        try (ZooModel<Image, Classifications> loaded = criteria.loadModel();
                Predictor<Image, Classifications> predictor = loaded.newPredictor();
                DataInputStream images = idx(data.resolve("t10k-images-idx3-ubyte.gz"));
                DataInputStream labels = idx(data.resolve("t10k-labels-idx1-ubyte.gz"))) {
            images.skipNBytes(12);
            labels.skipNBytes(4);
            for (int i = 0; i < IMAGES; i++) {
                byte[] pixels = new byte[28 * 28];
                images.readFully(pixels);
                BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                grey.getRaster().setDataElements(0, 0, 28, 28, pixels);
                String label = classes.get(labels.readUnsignedByte());
                Classifications.Classification best = predictor.predict(
                        ImageFactory.getInstance().fromImage(grey)).best();
                correct += best.getClassName().equals(label) ? 1 : 0;
                lines.add(String.format("%d %s %s %.4f", i, label, best.getClassName(),
                        best.getProbability()));
            }
        }
        lines.add(String.format("accuracy %.4f", (double) correct / IMAGES));
        Files.write(Path.of(args[2]), lines);
        System.out.println(lines.get(lines.size() - 1));
    }

    /** An IDX file past its magic number. */
    private static DataInputStream idx(Path file) throws IOException {
        DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)));
        in.readInt();
        return in;
    }
}
