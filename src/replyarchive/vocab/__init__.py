"""The letters' vocabulary shared by the stages: heading markers, the shapes of lines (titles,
dates, names), the adoption phrases, and the characters XML cannot hold."""
