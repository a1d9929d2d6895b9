"""Every page writer of the reports site.

That is report pages, the front, build and changes pages, the data dictionary, the recommendations
explorer and the PDFs.

- :mod:`ukcyber.site.report`: a report page (and its CSVs) from an executed notebook;
- :mod:`ukcyber.site.front`: the front page, the build page and the changes page;
- :mod:`ukcyber.site.dictionary`: the data dictionary;
- :mod:`ukcyber.site.recommendations`: the recommendations explorer and its CSV;
- :mod:`ukcyber.site.pdf`: PDFs printed by headless Chromium.

The build (:mod:`ukcyber.build`) decides what to write and when; these modules decide what a
page says.
"""
