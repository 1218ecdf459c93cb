//! Disclaimer decision: needed? already present? which variant fits the characters left?
