"""Writing cards: `zoo new`, `zoo init`, and importing an existing zoo (`zoo import omz`,
`zoo drift`)."""
