"""The ``spark-submit`` job: score an archive of transcripts on a cluster, Parquet in and out.

    spark-submit --conf spark.pyspark.python=/path/to/python-with-calmline \\
        "$(python -c 'import calmline.batch.spark_job as j; print(j.__file__)')" \\
        --input s3://bucket/transcripts.parquet --out s3://bucket/scores.parquet \\
        [--errors s3://bucket/score-errors.parquet] [--input-kind parquet|files] \\
        [--playbook our-playbook.yaml] [--partitions 400]

``--input-kind parquet`` (the default) reads a table with a ``transcript`` column and a
``key`` or ``name`` column; ``files`` reads a folder of transcript files of any supported
format (Spark's binaryFile source: one file per row, named by its path). Scored calls go to
``--out``, transcripts that could not be scored to ``--errors`` (default: ``OUT.errors``).
See docs/batch.md for Databricks, EMR and Kubernetes.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as f

from calmline.batch.spark import ERROR_COLUMN, score_dataframe
from calmline.playbook import load_playbook


def read_transcripts(spark: SparkSession, path: str, kind: str) -> DataFrame:
    """The transcripts at ``path``: a Parquet table, or a folder of transcript files."""
    if kind == "files":
        files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(path)
        return files.select(f.col("content").alias("transcript"), f.col("path").alias("name"))
    return spark.read.parquet(path)


def run_job(spark: SparkSession, args: argparse.Namespace) -> tuple[int, int]:
    """Score, then write calls and errors; return (calls written, transcripts failed)."""
    transcripts = read_transcripts(spark, args.input, args.input_kind)
    if args.partitions:
        transcripts = transcripts.repartition(args.partitions)
    scored = score_dataframe(transcripts, load_playbook(args.playbook)).persist(
        StorageLevel.MEMORY_AND_DISK)
    calls = scored.where(f.col(ERROR_COLUMN).isNull()).drop(ERROR_COLUMN)
    errors = scored.where(f.col(ERROR_COLUMN).isNotNull()).select("key", "source", ERROR_COLUMN)
    calls.write.mode("overwrite").parquet(args.out)
    errors.write.mode("overwrite").parquet(args.errors or args.out.rstrip("/") + ".errors")
    counts = (calls.count(), errors.count())
    scored.unpersist()
    return counts


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Score transcripts with calmline on Spark.")
    parser.add_argument("--input", required=True, help="Parquet table or folder of transcripts")
    parser.add_argument("--input-kind", choices=("parquet", "files"), default="parquet")
    parser.add_argument("--out", required=True, help="where to write the scored calls (Parquet)")
    parser.add_argument("--errors", help="where to write failed transcripts (default OUT.errors)")
    parser.add_argument("--playbook", help="playbook YAML (default: the bundled playbook)")
    parser.add_argument("--partitions", type=int, default=0,
                        help="repartition the input first (about 4 per executor core)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    spark = SparkSession.builder.appName("calmline-score").getOrCreate()
    calls, failed = run_job(spark, args)
    print(f"calmline: {calls} calls scored into {args.out}, {failed} transcripts failed")


if __name__ == "__main__":
    main()
