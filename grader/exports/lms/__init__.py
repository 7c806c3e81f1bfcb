"""Canvas, Moodle and Blackboard: the gradebook joined with the roster a course site exported,
written as the grade file that site imports, with a report beside it."""
