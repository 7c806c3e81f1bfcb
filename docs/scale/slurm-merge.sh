#!/bin/bash
# Join the shards of slurm-shards.sh once every array task ended well (--dependency=afterok).
#SBATCH --job-name=grade-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=4G
#SBATCH --time=00:30:00
#SBATCH --output=slurm-merge-%j.out
set -euo pipefail

SHARDS_DIR=${SHARDS_DIR:-shards}
OUT=${OUT:-graded}
GRADER=${GRADER:-grader}

# Every shard's OUT: the merge refuses a missing, repeated or unfinished one and says which.
exec "$GRADER" merge "$SHARDS_DIR"/out-* --out "$OUT" "$@"
