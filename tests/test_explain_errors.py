"""A known error text is read in the error a learner's code raised, never in what the code
printed: printed words prove nothing about the cause (a print can quote any error)."""

import pytest


def test_a_known_error_text_is_read_in_the_error_not_in_what_the_code_printed():
    from grader.checking.explain_errors import explain_errors
    from grader.checking.problems import StudentError

    known = {"leaf Variable that requires grad": "do the update inside torch.no_grad()."}
    printed = StudentError(
        "train_step raised ValueError: bad\n"
        '  File "05_training_step.py", line 3, in train_step\n    raise ValueError("bad")\n'
        "Your code printed:\na leaf Variable that requires grad is being used in-place"
    )
    with pytest.raises(StudentError) as raised, explain_errors(known):
        raise printed
    assert raised.value is printed and "Likely mistake" not in raised.value.message
    real = StudentError(
        "train_step raised RuntimeError: a leaf Variable that requires grad is being used in an "
        'in-place operation.\n  File "05_training_step.py", line 3, in train_step'
    )
    with pytest.raises(StudentError) as raised, explain_errors(known):
        raise real
    assert "Likely mistake: do the update inside torch.no_grad()." in raised.value.message
