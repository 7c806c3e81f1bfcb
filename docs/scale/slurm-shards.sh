#!/bin/bash
# Grade one shard of a class per Slurm array task; docs/scale.md says how to run it and the merge.
#   jobid=$(sbatch --parsable --array=1-4 slurm-shards.sh)
#   sbatch --dependency=afterok:"$jobid" slurm-merge.sh
# Shards are numbered from 1, so the array must be 1-N: the task id is the shard, K of N.
#SBATCH --job-name=grade-shards
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

BATCH=${BATCH:-submissions}          # the batch folder, on storage every node sees
SHARDS_DIR=${SHARDS_DIR:-shards}     # where each task writes its OUT: $SHARDS_DIR/out-K
GRADER=${GRADER:-grader}             # the workbook's `grader`, the same commit on every node
K=${SLURM_ARRAY_TASK_ID:?run as a Slurm array (sbatch --array=1-N) or set SLURM_ARRAY_TASK_ID}
N=${SHARDS:-${SLURM_ARRAY_TASK_COUNT:?set SHARDS to the number of shards}}
: "${CNN_GRADING_KEY:?export the class grading key: every shard must draw from the same one}"
export CNN_GRADING_KEY

# The grading processes: the cores Slurm gave this task, not the node's.
exec "$GRADER" grade "$BATCH" --shard "$K/$N" --out "$SHARDS_DIR/out-$K" \
    --workers "${SLURM_CPUS_PER_TASK:-1}" "$@"
