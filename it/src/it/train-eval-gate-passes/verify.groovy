// The run folder is complete, the leaderboard has the run, and the gate passed in verify.
def cosub = new File(basedir, 'target/cosub')
def runs = new File(cosub, 'runs').listFiles().findAll { it.isDirectory() && !it.name.startsWith('.') }
assert runs.size() == 1 : "expected one run folder, found ${runs*.name}"
def run = runs[0]
assert run.name ==~ /\d{8}-\d{6}-vit-nano-cosub-seed1-[0-9a-f]{6}/ : run.name
['run.json', 'metrics.csv', 'model.params', 'eval.json'].each {
    assert new File(run, it).isFile() : "missing ${it} in ${run}"
}

def runJson = new groovy.json.JsonSlurper().parse(new File(run, 'run.json'))
assert runJson.runId == run.name
assert runJson.result.config.architecture == 'vit'
assert runJson.result.config.seed == 1
assert runJson.result.environment.djlVersion
assert runJson.status == 'complete'
assert runJson.result.throughput.imagesPerSecond > 0
assert runJson.result.throughput.forwardFlopsPerImage == 22322432
assert runJson.result.throughput.matmulPeakFlopsPerSecond > 1e9
assert runJson.dataFiles.size() == 4
runJson.dataFiles.each { assert it.sha256 ==~ /[0-9a-f]{64}/ }

def metrics = new File(run, 'metrics.csv').readLines()
assert metrics[0] == 'epoch,train_loss,test_top1,test_top5,test_loss,learning_rate,images_per_second,seconds,clean_train_top1,clean_train_loss,submodel_top1,submodel_agreement,submodel_output_gap'
assert metrics.size() == 4 : "one row per epoch: ${metrics}"
// Every evaluated epoch has its diagnostics: fractions, a loss, a gap in [0, 1].
def last = metrics[3].split(',', -1)
(8..12).each { assert last[it] ==~ /\d\.\d{6}/ : "diagnostic column ${it} of ${metrics[3]}" }
assert (last[11] as double) > 0 && (last[11] as double) <= 1 : 'agreement is a share'
// What the training applied: ViT-nano's linear rates rise to dropPath over its blocks.
def asTrained = runJson.result.asTrained
assert asTrained.epochs == 3 && asTrained.dropPathSchedule == 'LINEAR'
assert asTrained.dropPathRates[0] == 0 && asTrained.dropPathRates[-1] == runJson.result.config.dropPath
assert runJson.code.commit ==~ /[0-9a-f]{40}/

def leaderboard = new File(cosub, 'leaderboard.csv').readLines()
assert leaderboard[0] == 'run_id,timestamp,dataset,architecture,size,method,recipe,budget,seed,epochs,batch_size,learning_rate,drop_path,drop_path_mode,lambda,train_images,parameters,top1,top5,test_loss,train_seconds,images_per_second,train_flops_per_second,device,engine_version,config_hash,recipe_hash,trained_epochs,images_per_second_q1,images_per_second_q3,code_version,clean_train_top1,submodel_agreement,lowest_test_loss,lowest_test_loss_epoch,init_from'
assert leaderboard.size() == 2
assert leaderboard[1].startsWith(run.name + ',')

def eval = new groovy.json.JsonSlurper().parse(new File(run, 'eval.json'))
assert eval.metrics.top1 >= 0.30
assert eval.metrics.images == 10000

def log = new File(basedir, 'build.log').text
assert log.contains('epoch 3/3: train loss')
assert log.contains('cosub: accuracy gate passed')
assert log.contains('BUILD SUCCESS')
return true
