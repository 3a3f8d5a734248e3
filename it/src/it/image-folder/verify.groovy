// The folder's classes, listing hash and measured normalisation are in the run, and it passed.
def log = new File(basedir, 'build.log').text
assert log.contains('folder: skipped 1 files that are not .png/.jpg/.jpeg images in a class folder')
assert log.contains('folder: 600 training and 150 evaluation images of 3 classes, grey, all 16x16')
assert log.contains('folder: normalization measured on 600 training images')

def runs = new File(basedir, 'target/cosub/runs').listFiles().findAll { it.isDirectory() && !it.name.startsWith('.') }
assert runs.size() == 1 : "expected one run folder, found ${runs*.name}"
def runJson = new groovy.json.JsonSlurper().parse(new File(runs[0], 'run.json'))
assert runJson.result.dataset.name == 'folder'
assert runJson.result.dataset.classNames == ['checker', 'horizontal', 'vertical']
assert runJson.result.dataset.imageShape == '1x16x16'
assert runJson.result.dataset.normalization.mean.size() == 1
assert runJson.dataFiles.size() == 1
assert runJson.dataFiles[0].path == new File(basedir, 'images').path + ' (listing)'
assert runJson.dataFiles[0].sha256 ==~ /[0-9a-f]{64}/
assert runJson.result.test.top1 >= 0.80 : "top-1 ${runJson.result.test.top1}"
assert log.contains('cosub: accuracy gate passed')
