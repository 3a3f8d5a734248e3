// Writes the user's data as a user would have it: a folder of PNG files per class, train/ and
// val/. Three classes of 16x16 grey patterns with a random phase and noise: horizontal stripes,
// vertical stripes and a checkerboard. A stray README is skipped with a log line.
import java.awt.image.BufferedImage
import javax.imageio.ImageIO

def root = new File(basedir, 'images')
def random = new Random(7)
def patterns = [
    horizontal: { int x, int y, int phase -> ((y + phase) % 4) < 2 },
    vertical: { int x, int y, int phase -> ((x + phase) % 4) < 2 },
    checker: { int x, int y, int phase -> (((x + phase) % 4) < 2) ^ (((y + phase) % 4) < 2) },
]
[train: 200, val: 50].each { split, count ->
    patterns.each { name, pattern ->
        def folder = new File(root, "${split}/${name}")
        folder.mkdirs()
        count.times { i ->
            def image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY)
            int phase = random.nextInt(4)
            16.times { y ->
                16.times { x ->
                    int value = (pattern(x, y, phase) ? 180 : 70) + random.nextInt(60) - 30
                    image.raster.setSample(x, y, 0, value)
                }
            }
            ImageIO.write(image, 'png', new File(folder, String.format('%03d.png', i)))
        }
    }
}
new File(root, 'train/README.txt').text = 'where these images came from\n'
return true
