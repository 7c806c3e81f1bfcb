"""Pure functions from typed records to text: terminal, gradebook, feedback, HTML, JUnit."""
