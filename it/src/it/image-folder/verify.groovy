// The folder's classes, class-folder listings and measured normalisation are in the run, and it passed.
def log = new File(basedir, 'build.log').text
assert log.contains('folder: skipped 1 file outside the class folders (hidden folders and files directly in train/ or val/)')
assert log.contains('folder: 600 training and 150 evaluation images of 3 classes, grey, all 16x16')
assert log.contains('folder: normalization measured on 600 training images')

def runs = new File(basedir, 'target/cosub/runs').listFiles().findAll { it.isDirectory() && !it.name.startsWith('.') }
assert runs.size() == 1 : "expected one run folder, found ${runs*.name}"
def runJson = new groovy.json.JsonSlurper().parse(new File(runs[0], 'run.json'))
assert runJson.result.dataset.name == 'folder'
assert runJson.result.dataset.classNames == ['checker', 'horizontal', 'vertical']
assert runJson.result.dataset.imageShape == '1x16x16'
assert runJson.result.dataset.normalization.mean.size() == 1
// Each class folder of both splits, by role, so that eval can match a copy elsewhere.
assert runJson.dataFiles*.role == ['train/checker', 'train/horizontal', 'train/vertical',
        'test/checker', 'test/horizontal', 'test/vertical']
assert runJson.dataFiles[3].path == new File(basedir, 'images/val/checker').path
assert runJson.dataFiles*.images == [200, 200, 200, 50, 50, 50]
assert runJson.dataFiles.every { it.sha256 ==~ /[0-9a-f]{64}/ }
def evalJson = new groovy.json.JsonSlurper().parse(new File(runs[0], 'eval.json'))
assert evalJson.sameDataAsTraining
assert evalJson.differences == []
assert runJson.result.test.top1 >= 0.80 : "top-1 ${runJson.result.test.top1}"
assert log.contains('cosub: accuracy gate passed')
