# The lavaan reference figures of tests/analytics/test_invariance.py (lavaan 0.6.14, Debian
# r-cran-lavaan): Rscript invariance_reference.R, run in this folder; it also wrote
# holzinger_swineford_1939.csv (school, grade, x1..x9 of the 300 pupils with a grade).
suppressMessages(library(lavaan))
hs <- HolzingerSwineford1939
hs <- hs[!is.na(hs$grade), ]
hs$cohort <- paste(hs$school, hs$grade, sep = "-")
write.csv(hs[, c("school", "grade", paste0("x", 1:9))], "holzinger_swineford_1939.csv", row.names = FALSE)
run <- function(model, group) {
  for (eq in list("", c("loadings"), c("loadings", "intercepts"))) {
    f <- cfa(model, data = hs, group = group, group.equal = if (eq[1] == "") "none" else eq, meanstructure = TRUE)
    m <- fitMeasures(f, c("chisq", "df", "cfi", "rmsea", "baseline.chisq", "baseline.df"))
    cat(sprintf("%s | %s | %s | %s\n", gsub("\n", " ", model), group, paste(eq, collapse="+"),
        paste(sprintf("%.6f", m), collapse = " ")))
  }
}
cat(as.character(packageVersion("lavaan")), "\n")
run("f =~ x4 + x5 + x6", "school")
run("f =~ x1 + x2 + x3 + x9", "school")
run("f =~ x4 + x5 + x6 + x7", "cohort")
run("f =~ x1 + x2 + x3", "cohort")
