"""Date and number formats for the mission's languages that Django does not ship
(FORMAT_MODULE_PATH). Django has them for English, Russian and Azerbaijani; not for Armenian."""
