"""The trusted side: run the checks and judge what a worker sent back."""
