// Bad data and output locations for the refusals, written fresh for each run of this test.
import java.util.zip.GZIPOutputStream

def idx = { File file, int magic, List<Integer> dims, byte[] payload ->
    file.parentFile.mkdirs()
    def out = new DataOutputStream(new GZIPOutputStream(new FileOutputStream(file)))
    out.writeInt(magic)
    dims.each { out.writeInt(it) }
    out.write(payload)
    out.close()
}
/** A 20-image, 28x28 dataset in IDX files; each change makes one thing wrong. */
def dataset = { String name, Map change = [:] ->
    def dir = new File(basedir, "bad-data/${name}")
    int rows = change.rows == null ? 28 : change.rows
    byte[] labels = (0..<20).collect { (it % 10) as byte } as byte[]
    if (change.label != null) {
        labels[3] = change.label as byte
    }
    int pixels = 20 * rows * 28 - (change.missingPixels ?: 0)
    ['train', 't10k'].each { part ->
        idx(new File(dir, "${part}-images-idx3-ubyte.gz"), 0x803, [20, rows, 28], new byte[pixels])
        if (!(change.withoutTestLabels && part == 't10k')) {
            idx(new File(dir, "${part}-labels-idx1-ubyte.gz"), 0x801, [20], labels)
        }
    }
    dir
}
dataset('small')
dataset('missing-one', [withoutTestLabels: true])
dataset('labels-out-of-range', [label: 12])
dataset('zero-rows', [rows: 0])
dataset('truncated', [missingPixels: 100])
def notGzip = dataset('not-gzip')
new File(notGzip, 'train-images-idx3-ubyte.gz').text = 'this is not a gzip file\n'
new File(basedir, 'bad-data/a-file').text = 'not a directory\n'

def output = new File(basedir, 'bad-output')
output.mkdirs()
new File(output, 'a-file').text = 'not a directory\n'
def header = 'run_id,timestamp,dataset,architecture,size,method,recipe,budget,seed,epochs,batch_size,learning_rate,drop_path,drop_path_mode,lambda,train_images,parameters,top1,top5,test_loss,train_seconds,images_per_second,train_flops_per_second,device,engine_version,config_hash,recipe_hash'
new File(output, 'half-row').mkdirs()
new File(output, 'half-row/leaderboard.csv').text = header + '\n20261129-000000-vit-nano-cosub-seed0-5fcde0,2026-11-29T00:00:00Z,fashion\n'
new File(output, 'foreign').mkdirs()
new File(output, 'foreign/leaderboard.csv').text = 'name,score\nalice,3\n'

// Image folders: a class folder without images; an image that is not one.
def png = { File file ->
    file.parentFile.mkdirs()
    def image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY)
    javax.imageio.ImageIO.write(image, 'png', file)
}
def emptyClass = new File(basedir, 'bad-data/folder-empty-class')
png(new File(emptyClass, 'train/cat/1.png'))
png(new File(emptyClass, 'val/cat/1.png'))
new File(emptyClass, 'train/dog').mkdirs()
def unreadable = new File(basedir, 'bad-data/folder-unreadable')
png(new File(unreadable, 'train/cat/1.png'))
png(new File(unreadable, 'val/cat/1.png'))
new File(unreadable, 'train/cat/2.png').text = 'not a PNG\n'
return true
