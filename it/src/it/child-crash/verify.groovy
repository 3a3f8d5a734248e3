def log = new File(basedir, 'build.log').text
assert log.contains('the training JVM of vit-nano cosub seed 0 (config ') : log
assert log.contains('died with exit code 134 (SIGABRT: a native abort') : log
assert log.contains('nothing was added to the leaderboard') : log
assert log.contains('Its last lines:') : log
// Maven ran to its own end and reported the failure.
assert log.contains('BUILD FAILURE') : log
assert log.contains('Total time:') : log
assert !new File(basedir, 'target/cosub/leaderboard.csv').exists()
def runs = new File(basedir, 'target/cosub/runs')
assert !runs.exists() || runs.listFiles().findAll { !it.name.startsWith('.') }.isEmpty()
return true
