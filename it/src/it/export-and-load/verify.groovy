// The application classified 200 test images through the exported model, with the dataset's
// class names, and at four times chance (10%) or better: the weights, the preprocessing and the output
// activation all came through.
def model = new File(basedir, 'target/model')
['serving.properties', 'synset.txt', 'cosub-0000.params'].each {
    assert new File(model, it).isFile() : "missing ${it} in ${model}"
}
def lines = new File(basedir, 'target/predictions.txt').readLines()
assert lines.size() == 201 : lines
assert lines[0] ==~ /0 Ankle boot .+ [01]\.\d{4}/ : lines[0]
def accuracy = lines[200].split(' ')[1] as double
assert accuracy >= 0.4 : "accuracy ${accuracy} on 200 test images"
def log = new File(basedir, 'build.log').text
assert log.contains('exported to') && log.contains('load it with DJL\'s Criteria')
return true
