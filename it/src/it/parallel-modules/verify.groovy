// Both modules trained at the same time into one directory: two complete runs, two rows.
def cosub = new File(basedir, 'target/cosub')
def log = new File(basedir, 'build.log').text
assert log.contains('Using the MultiThreadedBuilder') : 'the modules were built in parallel'
def runs = new File(cosub, 'runs').listFiles().findAll { it.isDirectory() && !it.name.startsWith('.') }
assert runs.size() == 2 : runs*.name
assert runs.count { it.name.contains('-vit-nano-baseline-seed1-') } == 1 : runs*.name
assert runs.count { it.name.contains('-vit-nano-baseline-seed2-') } == 1 : runs*.name
runs.each { assert new File(it, 'model.params').isFile() && new File(it, 'run.json').isFile() }
def rows = new File(cosub, 'leaderboard.csv').readLines()
assert rows.size() == 3 : rows
assert rows.drop(1).collect { it.split(',')[0] }.sort() == runs*.name.sort()
assert !new File(cosub, 'runs').listFiles().any { it.name.startsWith('.staging-') && it.isDirectory() }
// They shared the processors: a run saw the other at its start, or took its share when the
// other began (one libtorch thread each on this 2-core machine), and its record says so.
def sharing = runs.collect { new groovy.json.JsonSlurper().parse(new File(it, 'run.json')).result.environment.sharing }
assert sharing.every { it.threadsFollowShare } : sharing
assert sharing.any { !it.othersAtStart.isEmpty() || it.threadChanges.any { change -> change.trainings == 2 } } : sharing
return true
